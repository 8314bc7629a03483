package io.dvo.gate.settings;

import java.util.Map;
import java.util.Objects;

/**
 * The gate's settings as the feature packages read them: a value by {@link Setting}, parsed in one
 * way with one error style. {@code io.dvo.gate.config.Settings} is the implementation, built once
 * at start by the composition root; features (sign-in, stores) depend on this interface and {@link
 * Setting} only, so they never reach back into {@code config}.
 *
 * @param <S> the implementing type, which {@link #with} returns
 */
public interface SettingValues<S extends SettingValues<S>> {
  /** The configured value, else the default (may be null). */
  String get(Setting setting);

  /** {@code true} or {@code false} (case-insensitive); absent: false; anything else fails. */
  boolean flag(Setting setting);

  /** A whole number of at least {@code minimum}. */
  int integer(Setting setting, int minimum);

  /** A copy with some values replaced. */
  S with(Map<Setting, String> overrides);

  /**
   * {@code value} of {@code setting} (default applied) as a whole number of at least {@code
   * minimum}; for code that holds settings as a function.
   */
  static int wholeNumber(Setting setting, String value, int minimum) {
    int number;
    try {
      number = Integer.parseInt(Objects.requireNonNull(value));
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalStateException(
          setting.name() + " must be a whole number, not '" + value + "'.");
    }
    if (number < minimum) {
      throw new IllegalStateException(
          setting.name() + " must be at least " + minimum + ", not " + number + ".");
    }
    return number;
  }
}
