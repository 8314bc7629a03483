package io.dvo.gate.api;

/** Where the request came from, for links back to the build: e.g. kind "jenkins". */
public record Source(String kind, String url, String job, String build) {}
