package io.dvo.gate.signin;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code state} values of sign-ins already completed, kept until their pending sign-in would
 * have expired anyway: an answer from the identity provider is accepted once, even by a browser
 * that still holds the pending-sign-in cookie. In memory, as the local server is one process.
 * Bounded: when full of unexpired entries, further sign-ins are refused (fail closed) until some
 * expire.
 */
final class UsedStates {
  static final int CAPACITY = 10_000;
  private final Map<String, Long> used = new ConcurrentHashMap<>();
  private final int capacity;

  UsedStates() {
    this(CAPACITY);
  }

  UsedStates(int capacity) {
    this.capacity = capacity;
  }

  /** True the first time {@code state} is presented (and there is room to remember it). */
  synchronized boolean firstUse(String state, long expiresAtEpochSecond, Instant now) {
    if (used.containsKey(state)) {
      return false;
    }
    if (used.size() >= capacity) {
      long seconds = now.getEpochSecond();
      used.values().removeIf(expiry -> expiry <= seconds);
      if (used.size() >= capacity) {
        return false;
      }
    }
    used.put(state, expiresAtEpochSecond);
    return true;
  }
}
