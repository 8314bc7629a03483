package io.dvo.gate.siem;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder over TLS to a real rsyslog (imtcp with the gtls driver of rsyslog-gnutls, installed
 * by scripts/setup.d/35-rsyslog.sh): events arrive when the CA file trusts the receiver's
 * certificate; with a CA that does not, nothing is sent and everything stays queued.
 */
class SiemTlsTest {
  private static final Duration ARRIVAL = Duration.ofSeconds(60);

  @TempDir Path dir;

  private static List<SiemEvent> events(int count) {
    List<SiemEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(
          new SiemEvent(
              "acme",
              i,
              Instant.parse("2026-12-02T03:00:00Z").plusSeconds(i),
              SiemEvent.INFORMATIONAL,
              "{\"type\":\"gate.decision\",\"n\":" + i + "}"));
    }
    return events;
  }

  private static SiemSettings tls(Rsyslog rsyslog, Path ca, Path outbox) {
    return SiemSettings.of(
            "127.0.0.1", rsyslog.port(), true, ca, outbox, 10_000, SiemSettings.WhenFull.DROP)
        .withRetry(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  @Test
  void eventsArriveOverTlsInOrder() throws Exception {
    if (!Rsyslog.gtlsAvailable()) {
      throw new IllegalStateException(
          "rsyslog-gnutls (lmnsd_gtls) is not installed: run scripts/setup (apt-get install"
              + " rsyslog-gnutls); the TLS forwarding test needs the real gtls driver");
    }
    Rsyslog.Tls certificate = TestCertificates.selfSigned(dir.resolve("certs"), "server");
    List<SiemEvent> events = events(1200);
    try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), certificate);
        SiemForwarder forwarder =
            SiemForwarder.start(tls(rsyslog, certificate.caFile(), dir.resolve("o.db")))) {
      events.forEach(forwarder::publish);
      Rsyslog.await(() -> forwarder.queued() == 0, ARRIVAL, "every event confirmed");
      SyslogMessage format = new SyslogMessage(java.net.InetAddress.getLocalHost().getHostName());
      assertThat(rsyslog.receivedLines())
          .containsExactlyElementsOf(events.stream().map(format::format).toList());
    }
  }

  @Test
  void aReceiverTheCaFileDoesNotTrustGetsNothing() throws Exception {
    if (!Rsyslog.gtlsAvailable()) {
      throw new IllegalStateException(
          "rsyslog-gnutls (lmnsd_gtls) is not installed: run scripts/setup (apt-get install"
              + " rsyslog-gnutls); the TLS forwarding test needs the real gtls driver");
    }
    Rsyslog.Tls certificate = TestCertificates.selfSigned(dir.resolve("certs"), "server");
    Rsyslog.Tls other = TestCertificates.selfSigned(dir.resolve("other"), "other");
    try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), certificate);
        SiemForwarder forwarder =
            SiemForwarder.start(tls(rsyslog, other.caFile(), dir.resolve("o.db")))) {
      events(5).forEach(forwarder::publish);
      Rsyslog.await(() -> forwarder.failedBatches() >= 3, ARRIVAL, "refused handshakes");
      assertThat(forwarder.queued()).isEqualTo(5);
      assertThat(forwarder.sent()).isZero();
      assertThat(rsyslog.receivedLines()).isEmpty();
    }
  }
}
