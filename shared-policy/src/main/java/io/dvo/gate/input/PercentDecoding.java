package io.dvo.gate.input;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The gate's one percent-decoder (RFC 3986), for URL path segments, scope prefixes, query strings
 * and form bodies. Escapes are decoded as UTF-8 and the characters around them are kept as they
 * are, including those outside the BMP. It is strict: a broken escape, bytes that are not UTF-8 and
 * an unpaired surrogate give null, never a replacement character, so two different inputs can never
 * decode to the same text.
 */
public final class PercentDecoding {
  private PercentDecoding() {}

  /** One path segment: {@code +} stays {@code +}. Null when the encoding is broken. */
  public static String segment(String raw) {
    return decode(raw, false);
  }

  /**
   * One name or value of {@code application/x-www-form-urlencoded} text (query strings, form
   * bodies): {@code +} is a space. Null when the encoding is broken.
   */
  public static String formValue(String raw) {
    return decode(raw, true);
  }

  private static String decode(String raw, boolean plusIsSpace) {
    if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int high = Character.digit(raw.charAt(i + 1), 16);
        int low = Character.digit(raw.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return null;
        }
        bytes.write(high * 16 + low);
        i += 3;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
        i++;
      } else {
        int codePoint = raw.codePointAt(i);
        if (Character.isSurrogate((char) codePoint) && codePoint <= Character.MAX_VALUE) {
          return null; // an unpaired surrogate has no UTF-8 form
        }
        byte[] encoded = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i += Character.charCount(codePoint);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
