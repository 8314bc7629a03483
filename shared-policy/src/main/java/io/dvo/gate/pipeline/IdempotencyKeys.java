package io.dvo.gate.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Idempotency keys for pipeline steps. The same build and step always give the same key, so a step
 * re-run after a Jenkins restart finds its approval and is charged once.
 */
public final class IdempotencyKeys {
  /** Keys longer than this are replaced by a hash of their content. */
  public static final int MAX_LENGTH = 200;

  private static final String PREFIX = "jenkins:";

  private IdempotencyKeys() {}

  /**
   * {@code jenkins:<buildUrl>#<flowNodeId>}, readable in the gate's history; when that is longer
   * than {@value #MAX_LENGTH} characters, {@code jenkins:sha256:<hex>} of the same text.
   */
  public static String forStep(String buildUrl, String flowNodeId) {
    if (buildUrl == null || buildUrl.isBlank()) {
      throw new IllegalArgumentException("the build URL is required for an idempotency key");
    }
    if (flowNodeId == null || flowNodeId.isBlank()) {
      throw new IllegalArgumentException(
          "the step's flow node id is required for an idempotency key");
    }
    String text = buildUrl.strip() + "#" + flowNodeId.strip();
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
