package io.dvo.gate.cli.client;

import io.dvo.gate.client.CredentialHeader;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the gate is and how to sign in, shared by every client command. The secret comes only from
 * the environment ({@value #KEY_VARIABLE}): an argument would show in process lists, shell history
 * and CI logs, so an option for it is refused with a message rather than ignored.
 */
public final class ClientOptions {
  public static final String KEY_VARIABLE = "DVO_GATE_API_KEY";
  public static final String URL_VARIABLE = "DVO_GATE_URL";
  public static final String TENANT_VARIABLE = "DVO_GATE_TENANT";

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:" + URL_VARIABLE + "}",
      description = "The gate's address, e.g. https://gate.example.com (env " + URL_VARIABLE + ").")
  String url;

  @Option(
      names = "--tenant",
      paramLabel = "TENANT",
      defaultValue = "${env:" + TENANT_VARIABLE + "}",
      description = "Gate tenant id (env " + TENANT_VARIABLE + ").")
  String tenant;

  @Option(
      names = {"--api-key", "--key", "--secret", "--token", "--password"},
      hidden = true,
      arity = "0..1")
  String refusedSecret;

  @Option(
      names = "--retries",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "Retries of a call the gate could not answer (refused, timeout, 429, 502-504); default 4.")
  int retries;

  /** The environment the command runs in; tests replace it. */
  Map<String, String> environment = System.getenv();

  String tenant() {
    if (tenant == null || tenant.isBlank()) {
      throw new UsageException("--tenant is required (or set " + TENANT_VARIABLE + ")");
    }
    return tenant.strip();
  }

  URI baseUrl() {
    if (url == null || url.isBlank()) {
      throw new UsageException(
          "--url is required (or set " + URL_VARIABLE + "), e.g. --url https://gate.example.com");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new UsageException("--url: '" + url + "' is not an address");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new UsageException(
          "--url: '" + url + "' must be an http:// or https:// address with a host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new UsageException(
          "--url: the address must not carry a user or password; set " + KEY_VARIABLE);
    }
    return uri;
  }

  /** The client for the gate, with the key from {@value #KEY_VARIABLE} when it is set. */
  GateClient client() {
    if (refusedSecret != null) {
      throw new UsageException(
          "the gate API key is never an argument (it would show in process lists and CI logs);"
              + " put it in the environment variable "
              + KEY_VARIABLE);
    }
    URI base = baseUrl();
    String key = environment.get(KEY_VARIABLE);
    GateClientConfig config;
    try {
      config =
          key == null || key.isBlank()
              ? GateClientConfig.of(base, null, CredentialHeader.NONE)
              : GateClientConfig.of(base, key.strip(), CredentialHeader.API_KEY);
      config =
          config.withRetries(
              retries,
              GateClientConfig.DEFAULT_INITIAL_BACKOFF,
              GateClientConfig.DEFAULT_MAX_BACKOFF);
    } catch (IllegalArgumentException e) {
      throw new UsageException(KEY_VARIABLE + " or --url: " + e.getMessage());
    }
    return new GateClient(config);
  }

  boolean hasKey() {
    String key = environment.get(KEY_VARIABLE);
    return key != null && !key.isBlank();
  }
}
