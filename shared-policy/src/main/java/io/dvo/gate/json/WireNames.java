package io.dvo.gate.json;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The wire spelling of the gate's enums, one rule for all: the constant's name in lower case
 * ({@code PENDING_APPROVAL} is {@code pending_approval}). Each enum's {@code @JsonValue} and
 * {@code @JsonCreator} delegate here.
 */
public final class WireNames {
  private WireNames() {}

  /** {@code constant}'s wire name. */
  public static String of(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The constant {@code value} names, in any letter case.
   *
   * @throws IllegalArgumentException naming the value and the wire names, when it names none
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String value) {
    if (value != null) {
      String upper = value.toUpperCase(Locale.ROOT);
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equals(upper)) {
          return constant;
        }
      }
    }
    throw new IllegalArgumentException("'" + value + "' is not one of " + list(type));
  }

  /** The constant whose wire name is exactly {@code value}, if any. */
  public static <E extends Enum<E>> Optional<E> find(Class<E> type, String value) {
    return Arrays.stream(type.getEnumConstants()).filter(c -> of(c).equals(value)).findFirst();
  }

  /** Every wire name of {@code type}, in declaration order, comma-separated. */
  public static <E extends Enum<E>> String list(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(WireNames::of)
        .collect(Collectors.joining(", "));
  }
}
