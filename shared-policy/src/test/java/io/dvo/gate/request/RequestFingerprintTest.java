package io.dvo.gate.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Source;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

  private static GateRequest parse(String json) {
    try {
      Checked<GateRequest, FieldError> result =
          GateRequestParser.parse(Json.mapper().readTree(json));
      assertThat(result.problems()).isEmpty();
      return result.value();
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static GateRequest base(String extra) {
    return parse(
        "{\"tenant_id\":\"acme\",\"idempotency_key\":\"k1\",\"agent_id\":\"scanner\","
            + "\"environment\":\"staging\""
            + extra
            + "}");
  }

  private static String sha256(String text) throws Exception {
    return "sha256:"
        + HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void theValueIsTheSha256OfTheDocumentedCanonicalForm() throws Exception {
    GateRequest request =
        base(
            ",\"estimate\":5,\"attributes\":{\"z\":1.50,\"a\":\"\u00e9\\\"\"},"
                + "\"initiator\":{\"id\":\"u1\"}");

    String canonical = RequestFingerprint.canonicalJson(request);

    assertThat(canonical)
        .isEqualTo(
            "{\"agent_id\":\"scanner\",\"attributes\":{\"a\":\"\\u00e9\\\"\",\"z\":1.5},"
                + "\"environment\":\"staging\",\"estimate\":5,"
                + "\"initiator\":{\"display_name\":null,\"email\":null,\"id\":\"u1\"},"
                + "\"plan\":null,\"tenant_id\":\"acme\"}");
    assertThat(RequestFingerprint.of(request).value())
        .isEqualTo(sha256(canonical))
        .matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void keyOrderNumberFormsSourceAndTheKeyItselfDoNotChangeIt() {
    RequestFingerprint first =
        RequestFingerprint.of(base(",\"attributes\":{\"a\":1,\"b\":{\"x\":true,\"y\":2.0}}"));
    GateRequest reordered =
        parse(
            "{\"environment\":\"staging\",\"attributes\":{\"b\":{\"y\":2,\"x\":true},\"a\":1.00},"
                + "\"agent_id\":\"scanner\",\"idempotency_key\":\"another\",\"tenant_id\":\"acme\","
                + "\"source\":{\"kind\":\"jenkins\",\"url\":\"https://ci.example/job/1/\"}}");

    assertThat(RequestFingerprint.of(reordered)).isEqualTo(first);
    assertThat(RequestFingerprint.of(reordered).sameRequestAs(first)).isTrue();
  }

  @Test
  void everyDecisionRelevantPartChangesItAndIsNamed() {
    RequestFingerprint plain = RequestFingerprint.of(base(""));
    Map<String, GateRequest> changed = new LinkedHashMap<>();
    changed.put(
        "tenant_id",
        parse(
            "{\"tenant_id\":\"globex\",\"idempotency_key\":\"k1\",\"agent_id\":\"scanner\","
                + "\"environment\":\"staging\"}"));
    changed.put(
        "agent_id",
        parse(
            "{\"tenant_id\":\"acme\",\"idempotency_key\":\"k1\",\"agent_id\":\"other\","
                + "\"environment\":\"staging\"}"));
    changed.put(
        "environment",
        parse(
            "{\"tenant_id\":\"acme\",\"idempotency_key\":\"k1\",\"agent_id\":\"scanner\","
                + "\"environment\":\"production\"}"));
    changed.put("estimate", base(",\"estimate\":0"));
    changed.put("attributes", base(",\"attributes\":{\"staging_validated\":true}"));
    changed.put("plan", base(",\"plan\":{}"));
    changed.put("initiator", base(",\"initiator\":{\"id\":\"u1\"}"));

    changed.forEach(
        (part, request) -> {
          RequestFingerprint other = RequestFingerprint.of(request);
          assertThat(other.sameRequestAs(plain)).as(part).isFalse();
          assertThat(other.differingParts(plain)).as(part).containsExactly(part);
        });
  }

  @Test
  void listsKeepTheirOrder() {
    RequestFingerprint ab = RequestFingerprint.of(base(",\"attributes\":{\"l\":[\"a\",\"b\"]}"));
    RequestFingerprint ba = RequestFingerprint.of(base(",\"attributes\":{\"l\":[\"b\",\"a\"]}"));

    assertThat(ab.sameRequestAs(ba)).isFalse();
  }

  @Test
  void aStoredFingerprintReadsBackWithItsParts() {
    RequestFingerprint original = RequestFingerprint.of(base(",\"estimate\":3"));
    RequestFingerprint other = RequestFingerprint.of(base(",\"estimate\":4"));

    RequestFingerprint stored =
        RequestFingerprint.stored(original.value(), original.encodedParts());

    assertThat(stored.sameRequestAs(original)).isTrue();
    assertThat(other.differingParts(stored)).containsExactly("estimate");
    assertThat(original.encodedParts()).matches("(\\w+=[0-9a-f]{8},){6}\\w+=[0-9a-f]{8}");
    assertThat(other.differingParts(RequestFingerprint.stored(original.value(), null)))
        .as("parts unknown: nothing can be named")
        .isEmpty();
  }

  @Test
  void aStoredRequestReadBackHasTheFingerprintItHadWhenParsed() throws Exception {
    JsonNode full;
    try (InputStream in = getClass().getResourceAsStream("/contract/gate-request-full.json")) {
      full = Json.mapper().readTree(in);
    }
    GateRequest parsed = GateRequestParser.parse(full).value();

    GateRequest read =
        Json.mapper().readValue(Json.mapper().writeValueAsString(parsed), GateRequest.class);

    assertThat(RequestFingerprint.of(read)).isEqualTo(RequestFingerprint.of(parsed));
    // Pinned: changing the canonical form changes every stored fingerprint (a key would no longer
    // find its own request), so it must be a deliberate, migrated change.
    assertThat(RequestFingerprint.of(parsed).value())
        .isEqualTo("sha256:a500b5e4fc5fbb30b6ca8255236644da4ca3a071b08944729cdd8e29bafe1c3d");
  }

  @Test
  void aRequestBuiltInCodeHasTheSameFingerprintAsItsParsedTwin() {
    GateRequest built =
        new GateRequest(
            "acme",
            "k1",
            "scanner",
            "staging",
            7L,
            Map.of("n", 1, "list", List.of(1L, 2.5)),
            new Source("jenkins", null, null, null),
            null,
            new Initiator("u1", "u1@example.com", null));
    GateRequest parsed =
        base(
            ",\"estimate\":7,\"attributes\":{\"list\":[1,2.5],\"n\":1},"
                + "\"initiator\":{\"id\":\"u1\",\"email\":\"u1@example.com\"}");

    assertThat(RequestFingerprint.of(built)).isEqualTo(RequestFingerprint.of(parsed));
  }
}
