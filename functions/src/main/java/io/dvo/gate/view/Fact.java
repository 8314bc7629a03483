package io.dvo.gate.view;

/** One labelled value, as shown in a list of facts. */
public record Fact(String label, String value) {}
