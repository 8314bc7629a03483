package io.dvo.gate.siem;

/**
 * The forwarder refused an event ({@code DVO_SIEM_OUTBOX_FULL=refuse}): its outbox is full or
 * cannot be written. The event was not queued for the SIEM; the audit trail still holds it.
 */
public final class SiemOutboxFullException extends RuntimeException {
  public SiemOutboxFullException(String message) {
    super(message);
  }
}
