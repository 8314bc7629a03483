package io.dvo.gate.notify;

import java.net.URI;
import java.util.Objects;

/**
 * Where one kind of approval is announced: a channel name safe to log and store ("teams:default",
 * "teams:acme/prod") and the webhook URL, which is a secret and never printed.
 */
public record WebhookRoute(String channel, URI url) {
  public WebhookRoute {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(url, "url");
  }

  @Override
  public String toString() {
    return "WebhookRoute[channel=" + channel + ", url=<secret>]";
  }
}
