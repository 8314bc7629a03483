package io.dvo.gate.api;

/**
 * One invalid part of a refused request, as the {@code errors} member of a {@link Problem}: where
 * (a JSON path such as {@code $.plan.steps[0].risk_tier}, or a query parameter name) and what.
 */
public record FieldError(String path, String message) implements java.io.Serializable {}
