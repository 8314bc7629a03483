package io.dvo.gate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Under Azure Functions the worker sees no peer: the client address comes from the header the
 * operator names (DVO_CLIENT_ADDRESS_HEADER, its last entry), and from no header without it.
 */
class FunctionsClientAddressTest {
  private static final String REQUEST =
      "{\"tenant_id\":\"demo\",\"idempotency_key\":\"k-fn\",\"agent_id\":\"payments-api\","
          + "\"environment\":\"dev\",\"estimate\":1}";

  private static List<AuditEvent> decideThroughFunctions(GateFixture fixture) {
    Map<String, String> headers = new LinkedHashMap<>(Identity.REQUESTER.headers());
    headers.put("Content-Type", "application/json");
    headers.put("X-Forwarded-For", "6.6.6.6, 203.0.113.7:50321");
    Reply reply =
        new FunctionsTransport(fixture.app.httpApi())
            .send("POST", "/api/v1/gate", headers, REQUEST);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return fixture.app.audit().store().read("demo", 0, 10);
  }

  @Test
  void theConfiguredHeadersLastEntryIsRecorded() {
    try (GateFixture fixture =
        GateFixture.create(Map.of(Setting.DVO_CLIENT_ADDRESS_HEADER, "X-Forwarded-For"))) {
      List<AuditEvent> events = decideThroughFunctions(fixture);
      assertThat(events).hasSize(1);
      assertThat(events.get(0).clientAddress()).isEqualTo("203.0.113.7");
    }
  }

  @Test
  void withoutTheSettingNoHeaderIsBelieved() {
    try (GateFixture fixture = GateFixture.create()) {
      List<AuditEvent> events = decideThroughFunctions(fixture);
      assertThat(events).hasSize(1);
      assertThat(events.get(0).clientAddress()).isNull();
    }
  }
}
