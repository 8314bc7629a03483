package io.dvo.gate.siem;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how the forwarder sends (settings {@code DVO_SIEM_*}, read by {@code
 * config.Settings#siem()}).
 *
 * @param host the SIEM's syslog receiver (DNS name or IP address)
 * @param port its TCP port
 * @param tls whether to speak TLS (the receiver's certificate must name {@code host})
 * @param caFile PEM file of the CA certificates to trust with TLS; null: the JDK's trust store
 * @param outboxFile the SQLite file of the outbox
 * @param outboxMaxEvents the most events the outbox holds
 * @param whenFull what a new event meets when the outbox is full
 * @param payload the payload format the audit trail is asked for (CEF or JSON)
 * @param connectTimeout how long a connection attempt may take
 * @param confirmTimeout how long the receiver may take to confirm a batch (close its side)
 * @param batchMaxEvents most events sent in one batch (one connection)
 * @param batchMaxBytes most payload bytes in one batch (a batch of one may exceed it)
 * @param retryMin first wait after a failed batch; doubles on each failure
 * @param retryMax longest wait between attempts
 */
public record SiemSettings(
    String host,
    int port,
    boolean tls,
    Path caFile,
    Path outboxFile,
    long outboxMaxEvents,
    WhenFull whenFull,
    Payload payload,
    Duration connectTimeout,
    Duration confirmTimeout,
    int batchMaxEvents,
    int batchMaxBytes,
    Duration retryMin,
    Duration retryMax) {

  /** The payload format ({@code DVO_SIEM_FORMAT}): the audit trail's CEF line or JSON object. */
  public enum Payload {
    CEF,
    JSON;

    /** "cef" or "json" (any case). */
    public static Payload parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("must be cef or json, not '" + value + "'");
      }
    }
  }

  /** The outbox-full policy ({@code DVO_SIEM_OUTBOX_FULL}). */
  public enum WhenFull {
    /** The new event is not queued; it is counted and logged, and publishing returns normally. */
    DROP,
    /** Publishing throws {@link SiemOutboxFullException}: the caller decides (e.g. answers 503). */
    REFUSE;

    /** "drop" or "refuse" (any case). */
    public static WhenFull parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("must be drop or refuse, not '" + value + "'");
      }
    }
  }

  public SiemSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(outboxFile, "outboxFile");
    Objects.requireNonNull(whenFull, "whenFull");
    Objects.requireNonNull(payload, "payload");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
    }
  }

  /** The production defaults for timeouts, batches and retries. */
  public static SiemSettings of(
      String host,
      int port,
      boolean tls,
      Path caFile,
      Path outboxFile,
      long outboxMaxEvents,
      WhenFull whenFull) {
    return new SiemSettings(
        host,
        port,
        tls,
        caFile,
        outboxFile,
        outboxMaxEvents,
        whenFull,
        Payload.CEF,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        500,
        48 * 1024,
        Duration.ofMillis(200),
        Duration.ofSeconds(10));
  }

  /** A copy with other retry waits (tests). */
  public SiemSettings withRetry(Duration min, Duration max) {
    return new SiemSettings(
        host,
        port,
        tls,
        caFile,
        outboxFile,
        outboxMaxEvents,
        whenFull,
        payload,
        connectTimeout,
        confirmTimeout,
        batchMaxEvents,
        batchMaxBytes,
        min,
        max);
  }

  /** A copy with another payload format. */
  public SiemSettings withPayload(Payload format) {
    return new SiemSettings(
        host,
        port,
        tls,
        caFile,
        outboxFile,
        outboxMaxEvents,
        whenFull,
        format,
        connectTimeout,
        confirmTimeout,
        batchMaxEvents,
        batchMaxBytes,
        retryMin,
        retryMax);
  }

  /** "host:port" as written in logs ({@code [v6]:port} for an IPv6 literal). */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** A receiver's address. */
  public record Address(String host, int port) {}

  /** Parses {@code host:port} ({@code [v6]:port} for an IPv6 literal). */
  public static Address parseAddress(String value) {
    String text = value.trim();
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("must be host:port, e.g. siem.example.com:6514");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("must be host:port; write an IPv6 address as [::1]:6514");
    }
    if (host.isEmpty() || !host.matches("[A-Za-z0-9.:_-]+")) {
      throw new IllegalArgumentException("must be host:port with a DNS name or IP address");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("must end in a port from 1 to 65535");
    }
    return new Address(host, port);
  }
}
