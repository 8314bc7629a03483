package io.dvo.gate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.json.CanonicalJson;
import io.dvo.gate.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written canonical form of an event is exactly RFC 8785 of its wire tree (what the chain
 * was defined as, and what an auditor's own canonicaliser computes): for every kind of event,
 * including nulls, empty and unusual strings, control characters and non-BMP text. A field added to
 * the event and not to the writer fails this test.
 */
class AuditChainCanonicalFormTest {

  private static String ofWireTree(AuditEvent event, boolean withHash) {
    ObjectNode tree = Json.mapper().valueToTree(event);
    if (!withHash) {
      tree.remove("hash");
    }
    return CanonicalJson.of(tree);
  }

  @Property(tries = 400)
  void theCanonicalFormIsRfc8785OfTheWireTree(@ForAll("events") AuditEvent event) {
    assertThat(AuditChain.canonicalForm(event)).isEqualTo(ofWireTree(event, false));
    assertThat(AuditChain.storedForm(event)).isEqualTo(ofWireTree(event, true));
  }

  /**
   * The one-pass seal (what a store writes inside the charge's transaction) gives the same event,
   * hash and stored bytes as hashing the canonical form and then writing the stored form.
   */
  @Property(tries = 400)
  void sealingInOnePassGivesTheSameHashAndStoredBytes(@ForAll("events") AuditEvent event)
      throws Exception {
    AuditEvent hashed = event.withHash(AuditChain.hashOf(event));
    AuditChain.Sealed sealed = AuditChain.seal(event);
    assertThat(sealed.event()).isEqualTo(hashed);
    assertThat(sealed.storedForm())
        .isEqualTo(AuditChain.storedForm(hashed))
        .isEqualTo(ofWireTree(hashed, true));
    // What `audit verify` does with a stored row: read it back and re-hash it.
    AuditEvent back = Json.mapper().readValue(sealed.storedForm(), AuditEvent.class);
    assertThat(AuditChain.hashOf(back)).isEqualTo(sealed.event().hash());
  }

  @Property(tries = 100)
  void theStoredFormReadsBackAsTheSameEvent(@ForAll("events") AuditEvent event) throws Exception {
    assertThat(Json.mapper().readValue(AuditChain.storedForm(event), AuditEvent.class))
        .isEqualTo(event);
  }

  @Provide
  Arbitrary<AuditEvent> events() {
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(12),
            Arbitraries.strings().withChars("\"\\\b\f\n\r\t\u0000\u001f\u007f=|é😀").ofMaxLength(8),
            Arbitraries.just(""));
    Arbitrary<String> maybe = Arbitraries.oneOf(text, Arbitraries.just(null));
    Arbitrary<AuditActor> actor =
        Combinators.combine(maybe, maybe, text.list().ofMaxSize(3)).as(AuditActor::new);
    Arbitrary<AuditSubject> subject =
        Combinators.combine(maybe, maybe, maybe, maybe, maybe).as(AuditSubject::new);
    Arbitrary<List<AuditReason>> reasons =
        Combinators.combine(maybe, maybe).as(AuditReason::new).list().ofMaxSize(3);
    Arbitrary<Map<String, String>> details = Arbitraries.maps(text, text).ofMaxSize(4);
    Arbitrary<Instant> time =
        Arbitraries.longs()
            .between(0, 4_102_444_800_000L)
            .map(ms -> Instant.ofEpochMilli(ms).plusNanos(ms % 7 == 0 ? 123_456 : 0));
    return Combinators.combine(
            Combinators.combine(
                    maybe,
                    text,
                    Arbitraries.longs().between(1, (1L << 53) - 1),
                    time,
                    Arbitraries.of(AuditEventType.class),
                    Arbitraries.integers().between(0, 10),
                    actor,
                    subject)
                .as(Head::new),
            Combinators.combine(
                    maybe,
                    reasons,
                    text.list().ofMaxSize(3),
                    maybe,
                    maybe,
                    maybe,
                    Arbitraries.of(true, false),
                    details)
                .as(Body::new),
            maybe,
            maybe)
        .as(
            (h, b, previous, hash) ->
                new AuditEvent(
                    h.id,
                    h.tenant,
                    h.sequence,
                    h.time,
                    h.type,
                    h.severity,
                    h.actor,
                    h.subject,
                    b.outcome,
                    b.reasons,
                    b.matched,
                    b.pack,
                    b.client,
                    b.correlation,
                    b.dryRun,
                    b.details,
                    previous,
                    hash));
  }

  private record Head(
      String id,
      String tenant,
      long sequence,
      Instant time,
      AuditEventType type,
      int severity,
      AuditActor actor,
      AuditSubject subject) {}

  private record Body(
      String outcome,
      List<AuditReason> reasons,
      List<String> matched,
      String pack,
      String client,
      String correlation,
      boolean dryRun,
      Map<String, String> details) {}
}
