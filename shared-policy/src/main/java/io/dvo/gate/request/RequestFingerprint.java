package io.dvo.gate.request;

import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.Scope;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an idempotency key stands for: {@code sha256:} and the lower-case hex SHA-256 of a canonical
 * JSON form of everything that can change the request's decision — tenant, agent, environment,
 * estimate, attributes, plan, initiator and emergency (only when present, so requests without one
 * keep the fingerprints recorded before emergencies existed). Not the idempotency key itself and
 * not {@code source} (links back to the build change no decision).
 *
 * <p>Canonical form: objects with their keys sorted, no whitespace, every field present (null when
 * absent), numbers by value ({@code 1}, {@code 1.0} and {@code 1.00} are {@code 1}: policies
 * compare numbers by value), strings with every character outside printable ASCII escaped as {@code
 * \\uXXXX}, so the form is ASCII and one text has one encoding. Lists keep their order.
 *
 * <p>Besides the whole-request value, a fingerprint keeps a short digest of each top-level part
 * ({@link #PARTS}), so that a refusal can say which parts differ without keeping the request.
 */
public final class RequestFingerprint {
  public static final String PREFIX = "sha256:";

  /** The parts of a request that a fingerprint covers, as the wire names them. */
  public static final List<String> PARTS =
      List.of(
          "tenant_id",
          "agent_id",
          "environment",
          "estimate",
          "attributes",
          "plan",
          "initiator",
          "emergency");

  /** Hex digits kept per part: enough to name what differs; the whole value decides. */
  private static final int PART_DIGEST_HEX = 8;

  private final String value;
  private final Map<String, String> parts;
  // Computed once: charges store it inside the group commit, where every microsecond is serial.
  private final String encodedParts;

  private RequestFingerprint(String value, Map<String, String> parts) {
    this.value = value;
    this.parts = parts;
    List<String> entries = new ArrayList<>(parts.size());
    parts.forEach((name, digest) -> entries.add(name + "=" + digest));
    this.encodedParts = String.join(",", entries);
  }

  /** The fingerprint of {@code request}. */
  public static RequestFingerprint of(GateRequest request) {
    Map<String, Object> doc = canonicalDocument(request);
    Map<String, String> parts = new LinkedHashMap<>();
    StringBuilder whole = new StringBuilder(256).append('{');
    for (Map.Entry<String, Object> part : doc.entrySet()) {
      String encoded = encode(part.getValue());
      parts.put(part.getKey(), sha256Hex(encoded).substring(0, PART_DIGEST_HEX));
      if (whole.length() > 1) {
        whole.append(',');
      }
      string(whole, part.getKey());
      whole.append(':').append(encoded);
    }
    whole.append('}');
    Map<String, String> ordered = new LinkedHashMap<>();
    PARTS.forEach(
        name -> {
          if (parts.containsKey(name)) {
            ordered.put(name, parts.get(name));
          }
        });
    return new RequestFingerprint(PREFIX + sha256Hex(whole.toString()), ordered);
  }

  /**
   * A fingerprint as a store kept it.
   *
   * @param encodedParts {@link #encodedParts()} as stored, or null when the store has none
   */
  public static RequestFingerprint stored(String value, String encodedParts) {
    Objects.requireNonNull(value, "value");
    return new RequestFingerprint(value, decodeParts(encodedParts));
  }

  /** {@code sha256:<64 hex digits>}. */
  public String value() {
    return value;
  }

  /** The part digests as one string for storage: {@code agent_id=1a2b3c4d,attributes=...}. */
  public String encodedParts() {
    return encodedParts;
  }

  /** Whether both fingerprints are of the same request. */
  public boolean sameRequestAs(RequestFingerprint other) {
    return other != null && value.equals(other.value);
  }

  /**
   * The parts in which this request differs from {@code other}, in {@link #PARTS} order; empty when
   * they are the same request or when either side does not know its parts.
   */
  public List<String> differingParts(RequestFingerprint other) {
    List<String> differ = new ArrayList<>();
    if (other == null || sameRequestAs(other)) {
      return differ;
    }
    boolean bothKnown = !parts.isEmpty() && !other.parts.isEmpty();
    for (String part : PARTS) {
      String mine = parts.get(part);
      String theirs = other.parts.get(part);
      if (mine != null && theirs != null && !mine.equals(theirs)) {
        differ.add(part);
      } else if (bothKnown && part.equals("emergency") && (mine == null) != (theirs == null)) {
        // The optional part is left out when absent: present on one side only differs too.
        differ.add(part);
      }
    }
    return differ;
  }

  /** The canonical JSON text that {@link #value()} hashes (for tests and for documentation). */
  public static String canonicalJson(GateRequest request) {
    return encode(canonicalDocument(request));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestFingerprint f && value.equals(f.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }

  // ---- canonical form ---------------------------------------------------------------------

  private static Map<String, Object> canonicalDocument(GateRequest r) {
    Map<String, Object> doc = new TreeMap<>();
    doc.put("tenant_id", r.tenantId());
    doc.put("agent_id", r.agentId());
    doc.put("environment", r.environment());
    doc.put("estimate", r.estimate());
    doc.put("attributes", r.attributes());
    doc.put("plan", plan(r.plan()));
    doc.put("initiator", initiator(r.initiator()));
    if (r.emergency() != null) {
      Map<String, Object> emergency = new TreeMap<>();
      emergency.put("reason", r.emergency().reason());
      emergency.put("ticket", r.emergency().ticket());
      doc.put("emergency", emergency);
    }
    return doc;
  }

  private static Map<String, Object> plan(Plan plan) {
    if (plan == null) {
      return null;
    }
    Map<String, Object> out = new TreeMap<>();
    out.put("engagement_id", plan.engagementId());
    Scope scope = plan.scope();
    Map<String, Object> scopeOut = new TreeMap<>();
    scopeOut.put("hosts", scope.hosts());
    scopeOut.put("cidrs", scope.cidrs());
    scopeOut.put("url_prefixes", scope.urlPrefixes());
    out.put("scope", scopeOut);
    List<Object> steps = new ArrayList<>(plan.steps().size());
    for (PlanStep step : plan.steps()) {
      Map<String, Object> s = new TreeMap<>();
      s.put("id", step.id());
      s.put("name", step.name());
      s.put("risk_tier", step.riskTier() == null ? null : step.riskTier().wireName());
      s.put("estimate", step.estimate());
      s.put("targets", step.targets());
      steps.add(s);
    }
    out.put("steps", steps);
    return out;
  }

  private static Map<String, Object> initiator(Initiator initiator) {
    if (initiator == null) {
      return null;
    }
    Map<String, Object> out = new TreeMap<>();
    out.put("id", initiator.id());
    out.put("email", initiator.email());
    out.put("display_name", initiator.displayName());
    return out;
  }

  private static String encode(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue() ? "true" : "false");
    } else if (value instanceof Number n) {
      out.append(number(n));
    } else if (value instanceof Map<?, ?> map) {
      // Sorted by key whatever the map's own order (attributes keep the request's order).
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, e.getKey());
        out.append(':');
        write(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, list.get(i));
      }
      out.append(']');
    } else {
      // The parser produces only JSON-like values; anything else is a programming error.
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getSimpleName());
    }
  }

  /** A number by value: no exponent, no trailing zeros, no sign on zero. */
  private static String number(Number n) {
    BigDecimal decimal;
    if (n instanceof BigDecimal d) {
      decimal = d;
    } else if (n instanceof BigInteger i) {
      decimal = new BigDecimal(i);
    } else if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("not a JSON number: " + d);
      }
      decimal = BigDecimal.valueOf(d);
    } else {
      decimal = BigDecimal.valueOf(n.longValue());
    }
    if (decimal.signum() == 0) {
      return "0";
    }
    return decimal.stripTrailingZeros().toPlainString();
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        String hex = Integer.toHexString(c);
        out.append("\\u");
        for (int pad = hex.length(); pad < 4; pad++) {
          out.append('0');
        }
        out.append(hex);
      }
    }
    out.append('"');
  }

  private static String sha256Hex(String ascii) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(ascii.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static Map<String, String> decodeParts(String encoded) {
    Map<String, String> parts = new LinkedHashMap<>();
    if (encoded == null || encoded.isBlank()) {
      return parts;
    }
    for (String entry : encoded.split(",")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        parts.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return parts;
  }
}
