package io.dvo.gate.client;

import io.dvo.gate.api.ApiPaths;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How to reach the gate.
 *
 * <p>{@code baseUrl} is the gate's root (e.g. {@code https://dvo-gate.azurewebsites.net}); the
 * client adds {@code /api/v1}. A trailing {@code /api/v1} or slash is tolerated and removed. It
 * must use https, except for loopback hosts ({@code localhost}, {@code 127.0.0.0/8}, {@code
 * [::1]}), so a secret never crosses a network in clear text; a local dev server may use http. User
 * info, query and fragment are refused: secrets do not belong in URLs.
 *
 * <p>{@code secret} is required unless {@code credentialHeader} is {@link CredentialHeader#NONE};
 * {@link #toString()} never prints it.
 *
 * @param requestTimeout per HTTP request; a long-poll read adds its {@code wait_seconds} to it
 * @param maxRetries retries after the first attempt on 429/502/503/504 and connection errors
 * @param initialBackoff first retry delay (then doubling, with jitter, up to {@code maxBackoff})
 * @param maxBackoff upper bound of one retry delay, including a server's {@code Retry-After}
 */
public record GateClientConfig(
    URI baseUrl,
    String secret,
    CredentialHeader credentialHeader,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_RETRIES = 4;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(15);
  static final int MAX_RETRIES_LIMIT = 20;

  public GateClientConfig {
    baseUrl = normalise(baseUrl);
    Objects.requireNonNull(credentialHeader, "credentialHeader must be set (NONE for no secret)");
    if (credentialHeader == CredentialHeader.NONE) {
      secret = null;
    } else if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException(
          "a secret is required with credential header " + credentialHeader);
    } else if (secret.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("the secret contains control characters (e.g. a newline)");
    } else {
      secret = secret.strip();
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(requestTimeout, "requestTimeout");
    requirePositive(initialBackoff, "initialBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
      throw new IllegalArgumentException(
          "maxRetries must be between 0 and " + MAX_RETRIES_LIMIT + ", got " + maxRetries);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
    }
  }

  /** A configuration with default timeouts and retries. */
  public static GateClientConfig of(URI baseUrl, String secret, CredentialHeader credentialHeader) {
    return new GateClientConfig(
        baseUrl,
        secret,
        credentialHeader,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_RETRIES,
        DEFAULT_INITIAL_BACKOFF,
        DEFAULT_MAX_BACKOFF);
  }

  /** The same configuration with other timeouts. */
  public GateClientConfig withTimeouts(Duration connect, Duration request) {
    return new GateClientConfig(
        baseUrl,
        secret,
        credentialHeader,
        connect,
        request,
        maxRetries,
        initialBackoff,
        maxBackoff);
  }

  /** The same configuration with another retry policy. */
  public GateClientConfig withRetries(int retries, Duration initial, Duration max) {
    return new GateClientConfig(
        baseUrl, secret, credentialHeader, connectTimeout, requestTimeout, retries, initial, max);
  }

  /** The API root: {@code baseUrl + "/api/v1"}. */
  public URI apiRoot() {
    return URI.create(baseUrl + ApiPaths.ROOT);
  }

  @Override
  public String toString() {
    return "GateClientConfig[baseUrl="
        + baseUrl
        + ", secret="
        + (secret == null ? "<none>" : "****")
        + ", credentialHeader="
        + credentialHeader
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", maxRetries="
        + maxRetries
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + "]";
  }

  /** True for host names that never leave the machine; no DNS lookup is made. */
  static boolean isLoopbackHost(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  private static URI normalise(URI url) {
    if (url == null) {
      throw new IllegalArgumentException("the gate base URL is required");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "the gate base URL must not contain user info; configure the secret separately");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "the gate base URL must not contain a query or fragment (a key goes in the"
              + " secret, not in the URL)");
    }
    if (!url.isAbsolute() || url.getHost() == null) {
      throw new IllegalArgumentException(
          "the gate base URL must be absolute, like https://gate.example.com, got: " + url);
    }
    if (scheme.equals("http")) {
      if (!isLoopbackHost(url.getHost())) {
        throw new IllegalArgumentException(
            "the gate base URL must use https (http is accepted for localhost only): " + url);
      }
    } else if (!scheme.equals("https")) {
      throw new IllegalArgumentException(
          "the gate base URL must use https, got scheme '" + scheme + "': " + url);
    }
    String text = url.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.endsWith(ApiPaths.ROOT)) {
      text = text.substring(0, text.length() - ApiPaths.ROOT.length());
    }
    return URI.create(text);
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
  }
}
