package io.dvo.gate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox on a real SQLite file, and the forwarder's outbox-full policies with the SIEM
 * unreachable: drop (counted, publish returns) and refuse (publish throws); neither waits.
 */
class SiemOutboxTest {
  @TempDir Path dir;

  private static SiemEvent event(String tenant, long sequence) {
    return new SiemEvent(
        tenant, sequence, Instant.parse("2026-12-02T03:00:00.000001Z"), 5, "payload " + sequence);
  }

  @Test
  void keepsEventsInOrderAcrossReopeningAndQueuesOneEventOnce() throws Exception {
    Path file = dir.resolve("outbox.db");
    try (SiemOutbox outbox = SiemOutbox.open(file, 10)) {
      assertThat(outbox.offer(event("acme", 1))).isEqualTo(SiemOutbox.Offer.QUEUED);
      assertThat(outbox.offer(event("beta", 1))).isEqualTo(SiemOutbox.Offer.QUEUED);
      assertThat(outbox.offer(event("acme", 2))).isEqualTo(SiemOutbox.Offer.QUEUED);
      assertThat(outbox.offer(event("acme", 1))).isEqualTo(SiemOutbox.Offer.DUPLICATE);
    }
    try (SiemOutbox outbox = SiemOutbox.open(file, 10)) {
      assertThat(outbox.size()).isEqualTo(3);
      var head = outbox.head(10, 1 << 20);
      assertThat(head)
          .extracting(SiemOutbox.Queued::event)
          .containsExactly(event("acme", 1), event("beta", 1), event("acme", 2));
      outbox.removeThrough(head.get(1).id());
      assertThat(outbox.head(10, 1 << 20))
          .extracting(SiemOutbox.Queued::event)
          .containsExactly(event("acme", 2));
      assertThat(outbox.size()).isEqualTo(1);
    }
  }

  @Test
  void aBatchStopsAtItsByteBudgetButHoldsAtLeastOneEvent() throws Exception {
    try (SiemOutbox outbox = SiemOutbox.open(dir.resolve("o.db"), 10)) {
      for (int i = 0; i < 5; i++) {
        outbox.offer(event("acme", i)); // "payload i": 9 bytes each
      }
      assertThat(outbox.head(10, 20)).hasSize(2);
      assertThat(outbox.head(3, 1 << 20)).hasSize(3);
      assertThat(outbox.head(10, 1)).hasSize(1);
    }
  }

  private SiemSettings unreachable(SiemSettings.WhenFull whenFull) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    return SiemSettings.of("127.0.0.1", port, false, null, dir.resolve("full.db"), 3, whenFull)
        .withRetry(Duration.ofMillis(50), Duration.ofMillis(50));
  }

  @Test
  void whenFullDropCountsTheDropAndPublishReturns() throws Exception {
    try (SiemForwarder forwarder = SiemForwarder.start(unreachable(SiemSettings.WhenFull.DROP))) {
      for (int i = 0; i < 3; i++) {
        assertThat(forwarder.publish(event("acme", i))).isEqualTo(SiemOutbox.Offer.QUEUED);
      }
      assertThat(forwarder.publish(event("acme", 3))).isEqualTo(SiemOutbox.Offer.DROPPED);
      assertThat(forwarder.publish(event("acme", 4))).isEqualTo(SiemOutbox.Offer.DROPPED);
      // One still queued is not a drop.
      assertThat(forwarder.publish(event("acme", 0))).isEqualTo(SiemOutbox.Offer.DUPLICATE);
      assertThat(forwarder.dropped()).isEqualTo(2);
      assertThat(forwarder.queued()).isEqualTo(3);
    }
  }

  @Test
  void whenFullRefuseThrowsAndQueuesNothing() throws Exception {
    try (SiemForwarder forwarder = SiemForwarder.start(unreachable(SiemSettings.WhenFull.REFUSE))) {
      for (int i = 0; i < 3; i++) {
        forwarder.publish(event("acme", i));
      }
      assertThatThrownBy(() -> forwarder.publish(event("acme", 3)))
          .isInstanceOf(SiemOutboxFullException.class)
          .hasMessageContaining("full (3 events)");
      assertThat(forwarder.queued()).isEqualTo(3);
      assertThat(forwarder.dropped()).isZero();
    }
  }

  @Test
  void eventsAreValidated() {
    assertThatThrownBy(() -> new SiemEvent("acme", -1, Instant.EPOCH, 5, "x"))
        .hasMessageContaining("sequence");
    assertThatThrownBy(() -> new SiemEvent("acme", 0, Instant.EPOCH, 8, "x"))
        .hasMessageContaining("severity");
    assertThatThrownBy(() -> new SiemEvent("", 0, Instant.EPOCH, 5, "x"))
        .hasMessageContaining("tenant");
  }
}
