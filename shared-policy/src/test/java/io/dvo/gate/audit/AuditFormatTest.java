package io.dvo.gate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.json.CanonicalJson;
import io.dvo.gate.json.Json;
import io.dvo.gate.store.contract.AuditStoreContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditFormatTest {
  private final AuditEvent event =
      AuditStoreContract.draft("acme", Instant.parse("2026-12-02T03:00:00.250Z"), "deny")
          .seal(7, AuditChain.GENESIS);

  @Test
  void cefHasTheHeaderAndEscapesValues() {
    String cef = AuditFormat.cef(event, "1.2|x");

    assertThat(cef)
        .startsWith(
            "CEF:0|DVO|Policy Gate|1.2\\|x|gate.decision|Gate decision|6|rt=1796180400250 ");
    assertThat(cef).contains(" act=gate.decision outcome=deny suser=sp-ci duser=alice@example.com");
    assertThat(cef).contains(" cs1Label=tenant cs1=acme cs2Label=agent cs2=billing-api");
    assertThat(cef).contains(" cn1Label=sequence cn1=7");
    assertThat(cef).contains("msg=no-friday: no prod on Fridays \\= rule \"x\"");
    assertThat(cef).doesNotContain("\n");
  }

  @Test
  void escapingFollowsTheCefRules() {
    assertThat(AuditFormat.header("a|b\\c=d")).isEqualTo("a\\|b\\\\c=d");
    assertThat(AuditFormat.extensionValue("a|b\\c=d\ne")).isEqualTo("a|b\\\\c\\=d\\ne");
  }

  @Test
  void jsonRoundTripsAndKeepsTheHash() {
    AuditEvent back = AuditFormat.parseEvent(AuditFormat.json(event));
    assertThat(back).isEqualTo(event);
    assertThat(AuditChain.hashOf(back)).isEqualTo(event.hash());
  }

  @Test
  void canonicalJsonFollowsRfc8785() throws Exception {
    var node =
        Json.mapper()
            .readTree("{\"b\":[1,true,null],\"a\":\"\\u00e9\\n\\u001f\",\"\\u20ac\":0,\"A\":{}}");
    assertThat(CanonicalJson.of(node))
        .isEqualTo("{\"A\":{},\"a\":\"é\\n\\u001f\",\"b\":[1,true,null],\"€\":0}");
  }
}
