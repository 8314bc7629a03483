package io.dvo.gate.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Keys that make approval listings stable across pages. Approvals are listed newest first; the
 * {@code sortKey} is the creation instant as fixed-width epoch nanoseconds followed by the id, so a
 * single string comparison orders by (createdAt, id) and a page continues strictly after the last
 * key it returned: no skips or repeats at page boundaries, even when creation instants tie.
 */
public final class ListingKeys {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final String PREFIX = "v1:";

  private ListingKeys() {}

  /** The sort key of an approval created at {@code createdAt} with id {@code id}. */
  public static String sortKey(Instant createdAt, String id) {
    return String.format("%019d|%s", epochNanos(createdAt), id);
  }

  /** Epoch nanoseconds, saturated to [0, Long.MAX_VALUE] so that the fixed width always holds. */
  public static long epochNanos(Instant instant) {
    if (instant.getEpochSecond() < 0) {
      return 0;
    }
    try {
      return Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The opaque continuation that resumes after {@code lastSortKey}. */
  public static String continuationAfter(String lastSortKey) {
    return ENCODER.encodeToString((PREFIX + lastSortKey).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The sort key a continuation resumes after.
   *
   * @throws IllegalArgumentException when the continuation was not made by {@link
   *     #continuationAfter}
   */
  public static String resumeAfter(String continuation) {
    String decoded;
    try {
      decoded = new String(DECODER.decode(continuation), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("continuation is not valid", e);
    }
    if (!decoded.startsWith(PREFIX) || decoded.length() < PREFIX.length() + 21) {
      throw new IllegalArgumentException("continuation is not valid");
    }
    return decoded.substring(PREFIX.length());
  }
}
