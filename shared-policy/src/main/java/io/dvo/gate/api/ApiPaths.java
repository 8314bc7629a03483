package io.dvo.gate.api;

/**
 * The gate's HTTP routes, spelt once for the server's routes, the Functions triggers, the links it
 * sends and the client. Paths are relative to {@link #ROOT} (the client resolves them against its
 * API root; the server registers {@code ROOT + path}). Templates name their variables in braces,
 * {@code {tenant}} and {@code {id}}; {@link #expand} fills them in with already-encoded segments.
 */
public final class ApiPaths {
  /** The version prefix without its leading slash: the Functions host's route prefix. */
  public static final String VERSION = "api/v1";

  /** Where every route lives: {@code /api/v1}. */
  public static final String ROOT = "/" + VERSION;

  public static final String GATE = "/gate";
  public static final String EVALUATE = "/evaluate";
  public static final String HEALTH = "/health";
  public static final String HEALTH_READY = HEALTH + "/ready";
  public static final String WHOAMI = "/whoami";
  public static final String OPENAPI = "/openapi.json";
  public static final String DOCS = "/docs";

  public static final String POLICIES = "/policies";
  public static final String POLICY = POLICIES + "/{id}";

  public static final String QUOTA = "/quotas/{tenant}";
  public static final String QUOTA_USAGE = QUOTA + "/usage";

  public static final String APPROVALS = "/approvals/{tenant}";
  public static final String APPROVAL = APPROVALS + "/{id}";
  public static final String APPROVAL_APPROVE = APPROVAL + "/approve";
  public static final String APPROVAL_REJECT = APPROVAL + "/reject";
  public static final String APPROVAL_CANCEL = APPROVAL + "/cancel";
  public static final String APPROVAL_START = APPROVAL + "/start";
  public static final String APPROVAL_REVIEW = APPROVAL + "/review";

  /** A run's outcome; {@code {key}} is the run's idempotency key. */
  public static final String RUN_OUTCOME = "/runs/{tenant}/{key}/outcome";

  private ApiPaths() {}

  /** {@code ROOT + path}: the absolute path the server routes. */
  public static String full(String path) {
    return ROOT + path;
  }

  /**
   * The template with its {@code {name}} variables replaced, in order, by {@code segments}, which
   * the caller has already percent-encoded for a path segment.
   *
   * @throws IllegalArgumentException when the counts differ
   */
  public static String expand(String template, String... segments) {
    StringBuilder out = new StringBuilder(template.length() + 32);
    int next = 0;
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{') {
        int close = template.indexOf('}', i);
        if (next >= segments.length) {
          throw new IllegalArgumentException("too few segments for " + template);
        }
        out.append(segments[next++]);
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    if (next != segments.length) {
      throw new IllegalArgumentException("too many segments for " + template);
    }
    return out.toString();
  }
}
