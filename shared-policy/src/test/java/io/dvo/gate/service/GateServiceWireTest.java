package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.approval.ApprovalIds;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.json.Json;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.request.GateRequestParser;
import io.dvo.gate.testing.InMemoryApprovalStore;
import io.dvo.gate.testing.InMemoryQuotaStore;
import io.dvo.gate.testing.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The documented pending answer is what the service really says for the documented request. */
class GateServiceWireTest {
  private static final ObjectMapper MAPPER = Json.mapper();

  private static JsonNode document(String name) throws IOException {
    try (InputStream in = GateServiceWireTest.class.getResourceAsStream("/contract/" + name)) {
      return MAPPER.readTree(in);
    }
  }

  @Test
  void theFullRequestGetsTheDocumentedPendingDecision() throws IOException {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-10T10:00:00Z"));
    InMemoryQuotaStore quotas = new InMemoryQuotaStore();
    quotas.putSettings(
        new QuotaSettings("acme", 1000, 200L, Map.of("eng-2026-11-web", 400L)), null);
    quotas.charge(new ChargeRequest("acme", "2026-11", "earlier", 310, 1000, null, null));
    InMemoryApprovalStore store = new InMemoryApprovalStore();
    GateService gate =
        new GateService(
            tenant -> Engines.allow(),
            quotas,
            new ApprovalService(store, ApprovalNotifier.NONE, clock),
            LinkBuilder.under("https://gate.acme.io"),
            GateSettings.defaults(),
            clock);
    Principal pipeline =
        new Principal("sp-jenkins", "", "Jenkins (acme)", Set.of("gate_caller"), Set.of("acme"));

    GateDecision decision =
        gate.decide(GateRequestParser.parse(document("gate-request-full.json")).value(), pipeline);

    assertThat(MAPPER.readTree(MAPPER.writeValueAsString(decision)))
        .isEqualTo(document("gate-decision-pending.json"));
    String id = ApprovalIds.forKey("acme", "https://ci.acme.io/job/pentest-web/17/#8");
    JsonNode stored =
        MAPPER.readTree(MAPPER.writeValueAsString(store.get("acme", id).orElseThrow().value()));
    JsonNode documented = document("approval-record.json").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) documented)
        .set("notifications", MAPPER.createArrayNode());
    assertThat(stored).isEqualTo(documented);
  }
}
