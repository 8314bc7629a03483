package io.dvo.gate.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.testsupport.Transport.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check the scenarios' answers go through can fail. */
class DocumentedTransportTest {
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
  private static final Map<String, String> PROBLEM =
      Map.of("Content-Type", "application/problem+json");

  @Test
  void anAnswerOutsideItsSchemaIsCaught() {
    assertThatThrownBy(
            () ->
                DocumentedTransport.check(
                    "POST", "/api/v1/gate", new Reply(200, JSON, "{\"decision\":\"maybe\"}")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("does not match the document");
  }

  @Test
  void anUndocumentedStatusOrOperationIsCaught() {
    assertThatThrownBy(
            () -> DocumentedTransport.check("POST", "/api/v1/gate", new Reply(418, JSON, "{}")))
        .hasMessageContaining("not documented");
    assertThatThrownBy(
            () -> DocumentedTransport.check("PATCH", "/api/v1/gate", new Reply(200, JSON, "{}")))
        .hasMessageContaining("undocumented operation");
  }

  @Test
  void aProblemWithItsCodeMatches() {
    assertThatCode(
            () ->
                DocumentedTransport.check(
                    "POST",
                    "/api/v1/gate",
                    new Reply(
                        409,
                        PROBLEM,
                        "{\"type\":\"https://dvo-gate.dev/problems/idempotency-key-reused\","
                            + "\"title\":\"Idempotency key reused\",\"status\":409,"
                            + "\"detail\":\"d\",\"code\":\"idempotency_key_reused\"}")))
        .doesNotThrowAnyException();
  }
}
