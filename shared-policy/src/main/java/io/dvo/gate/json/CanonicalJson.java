package io.dvo.gate.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The JSON Canonicalization Scheme (RFC 8785) for the documents the gate hashes and signs: object
 * members sorted by the UTF-16 code units of their names, no whitespace, strings with only the
 * escapes RFC 8785 prescribes ({@code \"}, {@code \\}, {@code \b \f \n \r \t}, other controls as
 * lower-case six-character u-escapes; everything else as itself, UTF-8 encoded by the caller).
 * Numbers must be integers within ±2^53 (the audit trail has no fractions); anything else is
 * refused rather than given a second form.
 *
 * <p>Not the form of {@code RequestFingerprint}, which predates this class and keeps its own
 * documented encoding so that stored fingerprints stay valid.
 */
public final class CanonicalJson {
  private static final long MAX_SAFE = (1L << 53) - 1;

  private CanonicalJson() {}

  public static String of(JsonNode node) {
    StringBuilder out = new StringBuilder(512);
    write(out, node);
    return out.toString();
  }

  private static void write(StringBuilder out, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      names.sort(null); // String.compareTo compares UTF-16 code units, as RFC 8785 requires
      out.append('{');
      boolean first = true;
      for (String name : names) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, name);
        out.append(':');
        write(out, node.get(name));
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, node.get(i));
      }
      out.append(']');
    } else if (node.isTextual()) {
      string(out, node.textValue());
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else if (node.isIntegralNumber() && node.canConvertToLong()) {
      out.append(safeInteger(node.longValue()));
    } else if (node.isNumber()
        && node.decimalValue().stripTrailingZeros().scale() <= 0
        && Math.abs(node.doubleValue()) <= MAX_SAFE) {
      out.append(node.decimalValue().longValueExact());
    } else {
      throw new IllegalArgumentException(
          "only strings, integers, booleans, null, arrays and objects are canonicalised, not "
              + node.getNodeType());
    }
  }

  /** {@code value}, refused outside ±2^53 like every integer of a canonical document. */
  public static long safeInteger(long value) {
    if (value > MAX_SAFE || value < -MAX_SAFE) {
      throw new IllegalArgumentException("integer outside ±2^53 in a canonical document");
    }
    return value;
  }

  /** Strings as RFC 8785 writes them (ECMAScript JSON.stringify). */
  public static void string(StringBuilder out, String s) {
    out.append('"');
    int clean = 0; // s[clean..i) needs no escape: appended in one piece
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(s, clean, i);
      clean = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(String.format("\\u%04x", (int) c));
      }
    }
    out.append(s, clean, s.length());
    out.append('"');
  }

  /** Convenience for maps and records: through the wire mapper's tree. */
  public static String ofValue(Object value) {
    return of(value instanceof JsonNode n ? n : Json.mapper().valueToTree(value));
  }
}
