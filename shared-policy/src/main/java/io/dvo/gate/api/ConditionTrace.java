package io.dvo.gate.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one condition was evaluated: what it expected, what the context held ({@code null} when the
 * field is missing), the result, and a note when the comparison was impossible (missing field,
 * mismatched types) and therefore did not match.
 */
public record ConditionTrace(
    String field,
    String operator,
    JsonNode expected,
    JsonNode actual,
    boolean result,
    String note) {}
