package io.dvo.gate.pipeline;

/**
 * The build a step runs in, as the Jenkins glue reads it. Serializable so a step execution may keep
 * it across a Jenkins restart.
 *
 * @param jobFullName e.g. {@code payments/deploy}
 * @param buildUrl absolute build URL, e.g. {@code https://ci.example.com/job/deploy/42/}
 * @param flowNodeId the step's flow node id, stable across restarts
 */
public record BuildInfo(String jobFullName, String buildNumber, String buildUrl, String flowNodeId)
    implements java.io.Serializable {}
