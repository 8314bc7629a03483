package io.dvo.gate.http;

/**
 * One validation problem: where in the input (a JSON path such as {@code $.plan.steps[0]}) and
 * what.
 */
public record FieldError(String path, String message) {}
