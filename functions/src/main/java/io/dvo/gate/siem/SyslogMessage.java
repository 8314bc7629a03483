package io.dvo.gate.siem;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * RFC 5424 syslog messages, framed for TCP by octet counting (RFC 6587 section 3.4.1: {@code
 * MSG-LEN SP SYSLOG-MSG}), so a payload may hold any character, new lines included.
 *
 * <pre>
 * &lt;110&gt;1 2026-12-02T03:00:00.123456Z gate-1 dvo-gate - audit [dvo@32473 tenant="acme" seq="42"] CEF:0|...
 * </pre>
 *
 * PRI is facility 13 ("log audit") times 8 plus the event's severity. The structured data element
 * {@code dvo@32473} carries the tenant and chain sequence, so a SIEM can order, deduplicate and
 * find gaps without parsing the payload (32473 is the documentation enterprise number of RFC 5612;
 * the element name is fixed, see docs/siem.md).
 */
public final class SyslogMessage {
  /** RFC 5424 facility 13: log audit. */
  public static final int FACILITY_LOG_AUDIT = 13;

  public static final String APP_NAME = "dvo-gate";
  public static final String MSG_ID = "audit";
  public static final String SD_ID = "dvo@32473";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final String hostname;

  /**
   * @param hostname the HOSTNAME field; reduced to printable ASCII, at most 255, "-" if empty
   */
  public SyslogMessage(String hostname) {
    this.hostname = headerField(hostname, 255);
  }

  /** The RFC 5424 message, without framing. */
  public String format(SiemEvent event) {
    int pri = FACILITY_LOG_AUDIT * 8 + event.severity();
    return "<"
        + pri
        + ">1 "
        + TIMESTAMP.format(event.time().truncatedTo(ChronoUnit.MICROS))
        + ' '
        + hostname
        + ' '
        + APP_NAME
        + " - "
        + MSG_ID
        + " ["
        + SD_ID
        + " tenant=\""
        + paramValue(event.tenant())
        + "\" seq=\""
        + event.sequence()
        + "\"] "
        + event.payload();
  }

  /** The message framed by octet counting: its length in UTF-8 bytes, a space, the bytes. */
  public byte[] frame(SiemEvent event) {
    byte[] message = format(event).getBytes(StandardCharsets.UTF_8);
    byte[] length = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(length.length + message.length);
    out.writeBytes(length);
    out.writeBytes(message);
    return out.toByteArray();
  }

  /** RFC 5424 PARAM-VALUE: '"', '\' and ']' escaped with a backslash. */
  static String paramValue(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c == ']') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** A header field: printable US-ASCII (33-126) only, at most {@code max}, "-" (nil) if none. */
  static String headerField(String value, int max) {
    if (value == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && out.length() < max; i++) {
      char c = value.charAt(i);
      if (c >= 33 && c <= 126) {
        out.append(c);
      }
    }
    return out.length() == 0 ? "-" : out.toString();
  }
}
