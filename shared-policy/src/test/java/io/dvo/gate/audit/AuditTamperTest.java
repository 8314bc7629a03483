package io.dvo.gate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.store.contract.AuditStoreContract;
import io.dvo.gate.testing.InMemoryAuditStore;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flipping one byte, deleting one event or swapping two: verification names each. */
class AuditTamperTest {
  private static final Instant NOW = Instant.parse("2026-12-02T03:00:00Z");
  private final AuditSigner signer = new AuditSigner(new byte[32], "k1");
  private InMemoryAuditStore store;
  private List<AuditEvent> events;

  @BeforeEach
  void chain() {
    store = new InMemoryAuditStore();
    events = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      events.add(store.append(AuditStoreContract.draft("acme", NOW.plusSeconds(i), "allow")));
    }
  }

  @Test
  void anIntactChainVerifies() {
    AuditVerification v = AuditVerifier.verify(events, AuditAnchor.START);
    assertThat(v.intact()).isTrue();
    assertThat(v.checked()).isEqualTo(6);
    assertThat(v.lastHash()).isEqualTo(events.get(5).hash());
  }

  @Test
  void flippingOneByteNamesTheAlteredEvent() {
    String line = AuditFormat.json(events.get(2));
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    int at = line.indexOf("billing-api") + 3;
    bytes[at] ^= 0x01; // 'l' -> 'm'
    store.tamper("acme", 2, new String(bytes, StandardCharsets.UTF_8));

    AuditVerification v = AuditReader.verify(store, "acme");

    assertThat(v.intact()).isFalse();
    assertThat(v.problem().kind()).isEqualTo(AuditVerification.Kind.ALTERED);
    assertThat(v.problem().sequence()).isEqualTo(3);
    assertThat(v.problem().eventId()).isEqualTo(events.get(2).id());
    assertThat(v.checked()).isEqualTo(2);
  }

  @Test
  void aRehashedChangeBreaksTheNextLink() {
    AuditEvent changed =
        new AuditEvent(
            events.get(2).id(),
            "acme",
            3,
            events.get(2).time(),
            AuditEventType.GATE_DECISION,
            6,
            events.get(2).actor(),
            events.get(2).subject(),
            "deny",
            List.of(),
            List.of(),
            null,
            null,
            null,
            false,
            null,
            events.get(2).previousHash(),
            null);
    changed = changed.withHash(AuditChain.hashOf(changed));
    List<AuditEvent> tampered = new ArrayList<>(events);
    tampered.set(2, changed);

    AuditVerification v = AuditVerifier.verify(tampered, AuditAnchor.START);

    assertThat(v.problem().kind()).isEqualTo(AuditVerification.Kind.BROKEN_LINK);
    assertThat(v.problem().sequence()).isEqualTo(4);
    assertThat(v.problem().message()).contains("event 4").contains("does not follow event 3");
  }

  @Test
  void deletingOneEventNamesItAsMissing() {
    List<AuditEvent> tampered = new ArrayList<>(events);
    tampered.remove(3);

    AuditVerification v = AuditVerifier.verify(tampered, AuditAnchor.START);

    assertThat(v.problem().kind()).isEqualTo(AuditVerification.Kind.MISSING);
    assertThat(v.problem().sequence()).isEqualTo(4);
    assertThat(v.problem().message())
        .isEqualTo("event 4 is missing before event 5 (" + events.get(4).id() + ")");
  }

  @Test
  void swappingTwoEventsNamesBoth() {
    List<AuditEvent> tampered = new ArrayList<>(events);
    tampered.set(1, events.get(2));
    tampered.set(2, events.get(1));

    AuditVerification v = AuditVerifier.verify(tampered, AuditAnchor.START);

    assertThat(v.problem().kind()).isEqualTo(AuditVerification.Kind.REORDERED);
    assertThat(v.problem().sequence()).isEqualTo(2);
    assertThat(v.problem().message())
        .isEqualTo(
            "events 2 ("
                + events.get(1).id()
                + ") and 3 ("
                + events.get(2).id()
                + ") are out of order");
  }

  @Test
  void anExportVerifiesWithoutTheStoreAndNamesEachTampering() throws Exception {
    StringWriter out = new StringWriter();
    AuditExport.write(
        out, "acme", AuditAnchor.after(events.get(0)), events.subList(1, 6), signer, NOW);
    List<String> lines = Arrays.asList(out.toString().split("\n"));

    assertThat(lines).hasSize(7);
    assertThat(AuditExport.verify(lines, signer).intact()).isTrue();

    List<String> flipped = new ArrayList<>(lines);
    flipped.set(3, flipped.get(3).replace("\"allow\"", "\"allov\""));
    assertThat(AuditExport.verify(flipped, signer).problem().kind())
        .isEqualTo(AuditVerification.Kind.ALTERED);

    List<String> deleted = new ArrayList<>(lines);
    deleted.remove(2);
    assertThat(AuditExport.verify(deleted, signer).problem().message())
        .startsWith("event 3 is missing before event 4");

    List<String> swapped = new ArrayList<>(lines);
    swapped.set(2, lines.get(3));
    swapped.set(3, lines.get(2));
    assertThat(AuditExport.verify(swapped, signer).problem().kind())
        .isEqualTo(AuditVerification.Kind.REORDERED);

    List<String> cut = new ArrayList<>(lines);
    cut.remove(5);
    assertThat(AuditExport.verify(cut, signer).problem().kind())
        .isEqualTo(AuditVerification.Kind.CHECKPOINT_MISMATCH);

    assertThat(AuditExport.verify(lines, otherKey()).problem().message())
        .contains("signature does not verify");
  }

  /** Note: 32 and 33 zero bytes are the same HMAC key (keys are zero-padded), so flip one bit. */
  private static AuditSigner otherKey() {
    byte[] key = new byte[32];
    key[31] = 1;
    return new AuditSigner(key, "k1");
  }
}
