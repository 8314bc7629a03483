package io.dvo.gate.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.dvo.gate.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one problem shape: what the server writes is what the client reads, code included. */
class ProblemContractTest {

  @Test
  void everyCodeReadsBackAsItself() {
    for (ErrorCode code : ErrorCode.values()) {
      int status = code == ErrorCode.HTTP_ERROR ? 431 : code.status();
      Problem sent = Problem.of(code, status, code.title(), "detail", List.of());
      assertThat(ErrorCode.fromWire(sent.code())).as(code.name()).contains(code);
      assertThat(sent.type()).startsWith(Problem.TYPE_BASE);
    }
  }

  @Test
  void wireNamesAreUniqueSoNoCodeIsAmbiguous() {
    Set<String> seen = new HashSet<>();
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(seen.add(code.wireName())).as(code.wireName()).isTrue();
    }
  }

  @Test
  void theWireFormatIsTheOneTheGateHasAlwaysSent() throws Exception {
    Problem problem =
        Problem.of(
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "key reused",
                List.of(new FieldError("$.estimate", "differs")))
            .withInstance("/api/v1/gate");

    String json = Json.mapper().writeValueAsString(problem.toJson());

    assertThat(json)
        .isEqualTo(
            "{\"type\":\"https://dvo-gate.dev/problems/idempotency-key-reused\","
                + "\"title\":\"Idempotency key reused\",\"status\":409,\"detail\":\"key reused\","
                + "\"instance\":\"/api/v1/gate\","
                + "\"errors\":[{\"path\":\"$.estimate\",\"message\":\"differs\"}],"
                + "\"code\":\"idempotency_key_reused\"}");
    Problem read = Json.lenientMapper().readValue(json, Problem.class);
    assertThat(read).isEqualTo(problem);
    assertThat(read.is(ErrorCode.IDEMPOTENCY_KEY_REUSED)).isTrue();
  }

  @Test
  void emptyMembersAreLeftOutAndExtensionsIgnored() throws Exception {
    Map<String, Object> json = Problem.of(ErrorCode.NOT_PENDING, "decided", null).toJson();
    assertThat(json).doesNotContainKeys("errors", "instance").containsEntry("code", "NOT_PENDING");

    Problem read =
        Json.mapper()
            .readValue(
                "{\"title\":\"t\",\"status\":503,\"code\":\"store_unavailable\",\"retry\":1}",
                Problem.class);
    assertThat(read.errorCode()).contains(ErrorCode.STORE_UNAVAILABLE);
    assertThat(read.errors()).isEmpty();
  }

  @Test
  void aStatusOnlyHttpCodeIsRecognisedButNothingLooserIs() {
    assertThat(ErrorCode.fromWire("http_414")).contains(ErrorCode.HTTP_ERROR);
    assertThat(ErrorCode.fromWire("http_")).isEmpty();
    assertThat(ErrorCode.fromWire("http_4x4")).isEmpty();
    assertThat(ErrorCode.fromWire("not_pending")).isEmpty(); // approval codes are upper case
    assertThat(ErrorCode.fromWire(null)).isEmpty();
  }

  @Test
  void theProblemShapeDependsOnNoDomainPackage() {
    JavaClasses shape =
        new ClassFileImporter().importClasses(Problem.class, FieldError.class, ErrorCode.class);
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "com.fasterxml.jackson.annotation..", "io.dvo.gate.api")
        .check(shape);
  }
}
