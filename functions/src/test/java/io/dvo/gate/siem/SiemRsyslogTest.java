package io.dvo.gate.siem;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder against a real rsyslog on loopback (plain TCP, octet counting): a burst with
 * rsyslog killed (SIGKILL) and restarted in the middle arrives exactly once and in order; events
 * published while the SIEM is down are queued at once; a gate restarted during the outage sends
 * what its outbox holds.
 */
class SiemRsyslogTest {
  private static final Duration ARRIVAL = Duration.ofSeconds(90);

  @TempDir Path dir;

  private SiemSettings settings(Rsyslog rsyslog, Path outbox) {
    return SiemSettings.of(
            "127.0.0.1", rsyslog.port(), false, null, outbox, 100_000, SiemSettings.WhenFull.DROP)
        .withRetry(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  /** Two tenants interleaved, each with its own chain sequence; CEF-like payloads. */
  private static List<SiemEvent> burst(int count) {
    List<SiemEvent> events = new ArrayList<>();
    Instant start = Instant.parse("2026-12-02T03:00:00.123456Z");
    for (int i = 0; i < count; i++) {
      String tenant = i % 3 == 0 ? "beta" : "acme";
      long sequence = tenant.equals("beta") ? i / 3 : i - i / 3 - 1;
      events.add(
          new SiemEvent(
              tenant,
              sequence,
              start.plusMillis(i),
              SiemEvent.NOTICE,
              "CEF:0|DVO|Policy Gate|1.0|gate.decision|Gate decision|3|rt="
                  + i
                  + " suser=alice act=allow cs1Label=tenant cs1="
                  + tenant
                  + " msg=a\\=b pipe \\| ünïcødé"));
    }
    return events;
  }

  private static List<String> expected(List<SiemEvent> events) {
    SyslogMessage format = new SyslogMessage(localHostname());
    return events.stream().map(format::format).toList();
  }

  private static String localHostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return null;
    }
  }

  @Test
  void aBurstWithRsyslogKilledAndRestartedInTheMiddleArrivesExactlyOnceInOrder() throws Exception {
    List<SiemEvent> events = burst(3000);
    try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), null);
        SiemForwarder forwarder =
            SiemForwarder.start(settings(rsyslog, dir.resolve("outbox.db")))) {
      for (SiemEvent event : events.subList(0, 1500)) {
        assertThat(forwarder.publish(event)).isEqualTo(SiemOutbox.Offer.QUEUED);
      }
      // Kill it while the first half is still arriving.
      Rsyslog.await(() -> lines(rsyslog) >= 300, ARRIVAL, "the first events at rsyslog");
      rsyslog.kill();
      int before = lines(rsyslog);
      // The rest of the burst is published while the SIEM is down: each is queued, none waits.
      for (SiemEvent event : events.subList(1500, 3000)) {
        assertThat(forwarder.publish(event)).isEqualTo(SiemOutbox.Offer.QUEUED);
      }
      Rsyslog.await(() -> forwarder.failedBatches() > 0, ARRIVAL, "the forwarder to see it");
      assertThat(before).isLessThan(3000);
      assertThat(forwarder.queued()).isGreaterThan(0);

      rsyslog.startProcess();
      Rsyslog.await(
          () -> forwarder.queued() == 0 && lines(rsyslog) >= 3000, ARRIVAL, "every event");
      assertThat(rsyslog.receivedLines()).containsExactlyElementsOf(expected(events));
      assertThat(forwarder.sent()).isEqualTo(3000);
      assertThat(forwarder.dropped()).isZero();
    }
  }

  @Test
  void aGateRestartedDuringTheOutageSendsWhatItsOutboxHolds() throws Exception {
    List<SiemEvent> events = burst(400);
    Path outbox = dir.resolve("outbox.db");
    try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), null)) {
      rsyslog.kill();
      try (SiemForwarder forwarder = SiemForwarder.start(settings(rsyslog, outbox))) {
        events.forEach(forwarder::publish);
        assertThat(forwarder.queued()).isEqualTo(400);
      }
      rsyslog.startProcess();
      try (SiemForwarder restarted = SiemForwarder.start(settings(rsyslog, outbox))) {
        // Offering an event still queued again changes nothing.
        assertThat(restarted.publish(events.get(0)))
            .isIn(SiemOutbox.Offer.DUPLICATE, SiemOutbox.Offer.QUEUED);
        Rsyslog.await(
            () -> restarted.queued() == 0 && lines(rsyslog) >= 400, ARRIVAL, "every event");
        List<String> received = rsyslog.receivedLines();
        if (received.size() == 401) {
          // the re-offer came after the first one was sent: a second copy, at the end
          received = received.subList(0, 400);
        }
        assertThat(received).containsExactlyElementsOf(expected(events));
      }
    }
  }

  @Test
  void rsyslogParsesTheMessagesAsRfc5424() throws Exception {
    SiemEvent event =
        new SiemEvent(
            "ten\"ant]x",
            7,
            Instant.parse("2026-12-02T03:04:05.678901Z"),
            SiemEvent.WARNING,
            "{\"type\":\"gate.decision\",\"outcome\":\"deny\"}");
    try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), null);
        SiemForwarder forwarder = SiemForwarder.start(settings(rsyslog, dir.resolve("o.db")))) {
      forwarder.publish(event);
      Rsyslog.await(() -> lines(rsyslog) >= 1, ARRIVAL, "the event");
      Rsyslog.await(() -> Files.exists(rsyslog.parsed()), ARRIVAL, "the parsed file");
      String parsed = Files.readString(rsyslog.parsed()).strip();
      assertThat(parsed)
          .isEqualTo(
              "13|4|2026-12-02T03:04:05.678901Z|"
                  + new SyslogMessage(localHostname()).format(event).split(" ")[2]
                  + "|dvo-gate|-|audit|[dvo@32473 tenant=\"ten\\\"ant\\]x\" seq=\"7\"]|"
                  + "{\"type\":\"gate.decision\",\"outcome\":\"deny\"}");
    }
  }

  private static int lines(Rsyslog rsyslog) {
    try {
      return rsyslog.receivedLines().size();
    } catch (Exception e) {
      return 0;
    }
  }
}
