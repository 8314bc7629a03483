package io.dvo.gate.pipeline;

import java.util.List;

/**
 * The build a step runs in, as the Jenkins glue reads it.
 *
 * @param jobFullName e.g. {@code payments/deploy}
 * @param buildUrl absolute build URL, e.g. {@code https://ci.example.com/job/deploy/42/}
 * @param buildTimestampMillis when the build was scheduled (persisted with the build)
 * @param flowNodeId the step's flow node id, stable across restarts
 * @param causes what started the build, for {@link Initiators}
 */
public record BuildInfo(
    String jobFullName,
    String buildNumber,
    String buildUrl,
    long buildTimestampMillis,
    String flowNodeId,
    List<BuildCause> causes) {
  public BuildInfo {
    causes = causes == null ? List.of() : List.copyOf(causes);
  }
}
