package io.dvo.gate.audit;

import io.dvo.gate.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain: an event's hash is {@code sha256:} and the lower-case hex SHA-256 of the UTF-8
 * bytes of its RFC 8785 canonical JSON form (the wire form, snake_case, without the {@code hash}
 * member). The chain of a tenant starts after {@link #GENESIS}.
 */
public final class AuditChain {
  public static final String PREFIX = "sha256:";

  /** The "previous hash" of a tenant's first event. */
  public static final String GENESIS = PREFIX + "0".repeat(64);

  private AuditChain() {}

  public static String hashOf(AuditEvent event) {
    return PREFIX + HexFormat.of().formatHex(sha256(canonicalForm(event)));
  }

  /**
   * The text that {@link #hashOf} hashes (documented in docs/audit.md): the RFC 8785 form of the
   * event's wire tree without {@code hash}. Written member by member in sorted order rather than
   * through the mapper's tree, since it runs inside the charge's group commit, where its time is
   * serial; {@code AuditChainCanonicalFormTest} proves it equal to {@link CanonicalJson} of the
   * wire tree for every kind of event.
   */
  public static String canonicalForm(AuditEvent event) {
    return write(event, false);
  }

  /**
   * The event's wire document with its hash, in the same canonical member order: what a store keeps
   * (any JSON reader reads it back as the wire form).
   */
  public static String storedForm(AuditEvent event) {
    return write(event, true);
  }

  /** An event with its hash, and its {@link #storedForm} made in the same pass. */
  public record Sealed(AuditEvent event, String storedForm) {}

  /**
   * Hashes {@code unhashed} (whose {@code hash} is ignored) and returns it with its hash and its
   * stored form, writing the canonical text once: the stored form is that text with the {@code
   * hash} member put in its sorted place (after {@code dry_run}). Equal to {@code
   * storedForm(event)} of the hashed event ({@code AuditChainCanonicalFormTest}).
   */
  public static Sealed seal(AuditEvent unhashed) {
    StringBuilder out = new StringBuilder(2048);
    int hashAt = writeTo(out, unhashed, false);
    String hash = PREFIX + HexFormat.of().formatHex(sha256(out.toString()));
    // The hash is "sha256:" and hex digits: nothing in it needs escaping.
    out.insert(hashAt, ",\"hash\":\"" + hash + '"');
    return new Sealed(unhashed.withHash(hash), out.toString());
  }

  private static String write(AuditEvent e, boolean withHash) {
    StringBuilder out = new StringBuilder(2048);
    writeTo(out, e, withHash);
    return out.toString();
  }

  /** Writes the event; returns where the {@code hash} member goes (or went). */
  private static int writeTo(StringBuilder out, AuditEvent e, boolean withHash) {
    out.append("{\"actor\":{\"initiator\":");
    text(out, e.actor().initiator());
    out.append(",\"principal\":");
    text(out, e.actor().principal());
    out.append(",\"roles\":");
    texts(out, e.actor().roles());
    out.append("},\"client_address\":");
    text(out, e.clientAddress());
    out.append(",\"correlation_id\":");
    text(out, e.correlationId());
    out.append(",\"details\":{");
    String[] names = e.details().keySet().toArray(new String[0]);
    java.util.Arrays.sort(names); // String order is UTF-16 code unit order, as RFC 8785 sorts
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      CanonicalJson.string(out, names[i]);
      out.append(':');
      CanonicalJson.string(out, e.details().get(names[i]));
    }
    out.append("},\"dry_run\":").append(e.dryRun());
    int hashAt = out.length();
    if (withHash) {
      out.append(",\"hash\":");
      text(out, e.hash());
    }
    out.append(",\"id\":");
    text(out, e.id());
    out.append(",\"matched_rules\":");
    texts(out, e.matchedRules());
    out.append(",\"outcome\":");
    text(out, e.outcome());
    out.append(",\"pack_version\":");
    text(out, e.packVersion());
    out.append(",\"previous_hash\":");
    text(out, e.previousHash());
    out.append(",\"reasons\":[");
    for (int i = 0; i < e.reasons().size(); i++) {
      AuditReason reason = e.reasons().get(i);
      out.append(i > 0 ? ",{\"message\":" : "{\"message\":");
      text(out, reason.message());
      out.append(",\"rule_id\":");
      text(out, reason.ruleId());
      out.append('}');
    }
    out.append("],\"sequence\":").append(CanonicalJson.safeInteger(e.sequence()));
    out.append(",\"severity\":").append(e.severity());
    AuditSubject subject = e.subject();
    out.append(",\"subject\":{\"agent_id\":");
    text(out, subject.agentId());
    out.append(",\"approval_id\":");
    text(out, subject.approvalId());
    out.append(",\"environment\":");
    text(out, subject.environment());
    out.append(",\"idempotency_key\":");
    text(out, subject.idempotencyKey());
    out.append(",\"request_fingerprint\":");
    text(out, subject.requestFingerprint());
    out.append("},\"tenant_id\":");
    text(out, e.tenantId());
    out.append(",\"time\":");
    text(out, e.time() == null ? null : e.time().toString());
    out.append(",\"type\":");
    text(out, e.type() == null ? null : e.type().wireName());
    out.append('}');
    return hashAt;
  }

  private static void text(StringBuilder out, String value) {
    if (value == null) {
      out.append("null");
    } else {
      CanonicalJson.string(out, value);
    }
  }

  private static void texts(StringBuilder out, java.util.List<String> values) {
    out.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      text(out, values.get(i));
    }
    out.append(']');
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
  }
}
