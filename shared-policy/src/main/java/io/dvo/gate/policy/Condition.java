package io.dvo.gate.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One test of a context field, e.g. {@code config.staging_validated not_equals true}. The value is
 * kept as written (JSON) so the rule round-trips; {@link PolicyEngines} compiles it once.
 *
 * @param value the operand; null exactly for {@code exists} / {@code not_exists}
 */
public record Condition(
    String field, Operator operator, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode value) {
  public Condition {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(operator, "operator");
    if (operator.takesValue() == (value == null || value.isNull())) {
      throw new IllegalArgumentException(
          operator.takesValue()
              ? "operator " + operator.wireName() + " needs a value"
              : "operator " + operator.wireName() + " takes no value");
    }
  }
}
