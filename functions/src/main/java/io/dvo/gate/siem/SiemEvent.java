package io.dvo.gate.siem;

import java.time.Instant;
import java.util.Objects;

/**
 * One event to forward: already formatted (CEF or JSON) by the audit trail, with the tenant and its
 * place in that tenant's chain. The forwarder never looks inside {@code payload}.
 *
 * @param tenant the tenant whose chain holds the event
 * @param sequence the event's sequence number in the tenant's chain (0 or more)
 * @param time when the event happened (the syslog TIMESTAMP)
 * @param severity the RFC 5424 severity, 0 (emergency) to 7 (debug)
 * @param payload the message, e.g. a CEF line or a JSON object; UTF-8 when sent
 */
public record SiemEvent(String tenant, long sequence, Instant time, int severity, String payload) {
  /** RFC 5424 severities the audit trail uses most. */
  public static final int WARNING = 4;

  public static final int NOTICE = 5;
  public static final int INFORMATIONAL = 6;

  public SiemEvent {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(payload, "payload");
    if (tenant.isEmpty()) {
      throw new IllegalArgumentException("tenant must not be empty");
    }
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be 0 or more, not " + sequence);
    }
    if (severity < 0 || severity > 7) {
      throw new IllegalArgumentException("severity must be 0 to 7 (RFC 5424), not " + severity);
    }
  }
}
