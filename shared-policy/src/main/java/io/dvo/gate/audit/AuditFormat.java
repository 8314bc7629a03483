package io.dvo.gate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dvo.gate.json.Json;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The two export forms of an event: one JSON document (the wire form, also one NDJSON line) and one
 * ArcSight CEF line. The CEF mapping is documented in docs/audit.md.
 */
public final class AuditFormat {
  public static final String CEF_VENDOR = "DVO";
  public static final String CEF_PRODUCT = "Policy Gate";

  private AuditFormat() {}

  /** The event as one line of JSON (no line breaks inside). */
  public static String json(Object eventOrCheckpoint) {
    try {
      return Json.mapper().writeValueAsString(eventOrCheckpoint);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an audit event could not be written as JSON", e);
    }
  }

  /** Reads one NDJSON line back into an event. */
  public static AuditEvent parseEvent(String line) {
    try {
      return Json.mapper().readValue(line, AuditEvent.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an audit event: " + e.getOriginalMessage());
    }
  }

  /**
   * {@code CEF:0|DVO|Policy Gate|version|signature|name|severity|extension}: the signature id is
   * the event type, custom strings carry tenant, agent, environment, approval, idempotency key and
   * pack version with their labels.
   */
  public static String cef(AuditEvent e, String productVersion) {
    StringBuilder out = new StringBuilder(512);
    out.append("CEF:0|")
        .append(header(CEF_VENDOR))
        .append('|')
        .append(header(CEF_PRODUCT))
        .append('|')
        .append(header(productVersion == null ? "" : productVersion))
        .append('|')
        .append(header(e.type().wireName()))
        .append('|')
        .append(header(e.type().title()))
        .append('|')
        .append(e.severity())
        .append('|');
    Extension ext = new Extension(out);
    ext.put("rt", String.valueOf(e.time().toEpochMilli()));
    ext.put("externalId", e.id());
    ext.put("act", e.type().wireName());
    ext.put("outcome", e.outcome());
    ext.put("suser", e.actor().principal());
    ext.put("duser", e.actor().initiator());
    ext.put("spriv", e.actor().roles().isEmpty() ? null : String.join(",", e.actor().roles()));
    ext.put("src", e.clientAddress());
    ext.put("cat", e.dryRun() ? "dry_run" : "live");
    ext.labelled("cs1", "tenant", e.tenantId());
    ext.labelled("cs2", "agent", e.subject().agentId());
    ext.labelled("cs3", "environment", e.subject().environment());
    ext.labelled("cs4", "approvalId", e.subject().approvalId());
    ext.labelled("cs5", "idempotencyKey", e.subject().idempotencyKey());
    ext.labelled("cs6", "packVersion", e.packVersion());
    ext.labelled("cn1", "sequence", String.valueOf(e.sequence()));
    ext.labelled("flexString1", "correlationId", e.correlationId());
    ext.labelled("flexString2", "hash", e.hash());
    ext.put("reason", e.matchedRules().isEmpty() ? null : String.join(",", e.matchedRules()));
    ext.put(
        "msg",
        e.reasons().isEmpty()
            ? null
            : e.reasons().stream()
                .map(r -> r.ruleId() + ": " + r.message())
                .collect(Collectors.joining("; ")));
    return out.toString();
  }

  /** Header fields escape {@code \} and {@code |}; line breaks become spaces. */
  static String header(String value) {
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }

  /** Extension values escape {@code \}, {@code =} and line breaks ({@code \n}, {@code \r}). */
  static String extensionValue(String value) {
    return value
        .replace("\\", "\\\\")
        .replace("=", "\\=")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\r");
  }

  private static final class Extension {
    private final StringBuilder out;
    private boolean first = true;

    Extension(StringBuilder out) {
      this.out = out;
    }

    void put(String key, String value) {
      if (value == null || value.isEmpty()) {
        return;
      }
      if (!first) {
        out.append(' ');
      }
      first = false;
      out.append(key).append('=').append(extensionValue(value));
    }

    void labelled(String key, String label, String value) {
      if (value == null || value.isEmpty()) {
        return;
      }
      put(key + "Label", label);
      put(key, value);
    }
  }

  /** The media types the read endpoint and the CLI export speak. */
  public enum Media {
    JSON("application/json"),
    NDJSON("application/x-ndjson"),
    CEF("text/cef");

    private final String type;

    Media(String type) {
      this.type = type;
    }

    public String type() {
      return type;
    }

    public static Media fromFormat(String format) {
      return switch (format == null ? "" : format.toLowerCase(Locale.ROOT)) {
        case "jsonl", "ndjson" -> NDJSON;
        case "cef" -> CEF;
        case "json" -> JSON;
        default ->
            throw new IllegalArgumentException(
                "format must be jsonl or cef, not \"" + format + "\"");
      };
    }
  }
}
