package io.dvo.gate.client;

/** One invalid field of a rejected request, as the gate reported it (JSON path and message). */
public record FieldError(String path, String message) implements java.io.Serializable {}
