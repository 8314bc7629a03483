package io.dvo.gate.run;

/**
 * What a run deployed or tested.
 *
 * @param version the artifact's version (e.g. "1.4.2" or an image digest); null when not reported
 * @param commit the source commit; null when not reported
 */
public record Artifact(String version, String commit) {}
