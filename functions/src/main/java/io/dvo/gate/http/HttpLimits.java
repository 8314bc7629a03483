package io.dvo.gate.http;

/**
 * Request limits, the same on every host.
 *
 * @param maxBodyBytes bodies longer than this are answered 413 without being parsed
 * @param maxWaitSeconds the longest long-poll a client may ask for
 */
public record HttpLimits(int maxBodyBytes, int maxWaitSeconds) {
  public static final HttpLimits DEFAULT = new HttpLimits(256 * 1024, 25);
}
