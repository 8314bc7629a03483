package io.dvo.gate.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Idempotency keys for pipeline steps: one key per step call of one build.
 *
 * <p>The key is made of what Jenkins persists with the build and never changes: the build URL, the
 * time the build was scheduled (its {@code timestamp} in {@code build.xml}) and the step's flow
 * node id. So a step that asks again after a controller restart sends the same key (the gate finds
 * its approval, charges once), while a job deleted and created again, whose new build #1 has the
 * old build #1's URL, gets a new key and never inherits the old build's approval or charge.
 */
public final class IdempotencyKeys {
  /** Keys longer than this are replaced by a hash of their content. */
  public static final int MAX_LENGTH = 200;

  private static final String PREFIX = "jenkins:";

  private IdempotencyKeys() {}

  /**
   * {@code jenkins:<buildUrl>@<scheduled time, ISO-8601>#<flowNodeId>}, readable in the gate's
   * history; when that is longer than {@value #MAX_LENGTH} characters, {@code jenkins:sha256:<hex>}
   * of the same text.
   *
   * @param buildTimestampMillis when the build was scheduled (epoch milliseconds), as persisted
   */
  public static String forStep(String buildUrl, long buildTimestampMillis, String flowNodeId) {
    if (buildUrl == null || buildUrl.isBlank()) {
      throw new IllegalArgumentException("the build URL is required for an idempotency key");
    }
    if (buildTimestampMillis <= 0) {
      throw new IllegalArgumentException(
          "the build's start time is required for an idempotency key, got " + buildTimestampMillis);
    }
    if (flowNodeId == null || flowNodeId.isBlank()) {
      throw new IllegalArgumentException(
          "the step's flow node id is required for an idempotency key");
    }
    String text =
        buildUrl.strip()
            + "@"
            + Instant.ofEpochMilli(buildTimestampMillis)
            + "#"
            + flowNodeId.strip();
    String key = PREFIX + text;
    return key.length() <= MAX_LENGTH ? key : PREFIX + "sha256:" + sha256(text);
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
