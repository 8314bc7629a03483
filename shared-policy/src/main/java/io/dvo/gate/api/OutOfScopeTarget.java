package io.dvo.gate.api;

/** A plan target outside the engagement's scope, and the step that named it. */
public record OutOfScopeTarget(String stepId, String target) {}
