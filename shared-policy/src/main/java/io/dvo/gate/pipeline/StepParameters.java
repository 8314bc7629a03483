package io.dvo.gate.pipeline;

import java.util.Map;

/**
 * The parameters of one {@code dvoPolicyGate(...)} call, as written in the Jenkinsfile. Values are
 * checked by {@link GateRequests#fromStep}, which reports every problem at once. Serializable (when
 * its maps are) so a step execution may keep it across a Jenkins restart.
 *
 * @param agent the service being deployed; null means the job's full name
 * @param tenant null means the global configuration's default tenant
 * @param estimate credits; null means the sum of the plan's step estimates
 * @param attributes free-form facts for policies ({@code config.*}): JSON-like values only
 * @param plan the plan document (e.g. {@code readJSON(file: 'plan.json')}), snake_case keys
 * @param timeoutMinutes how long to wait for an approval; 0 means {@link #DEFAULT_TIMEOUT_MINUTES}
 * @param pollSeconds delay between reads when the gate does not long-poll, and the first retry
 *     delay after an error; 0 means {@link #DEFAULT_POLL_SECONDS}
 */
public record StepParameters(
    String environment,
    String agent,
    String tenant,
    Long estimate,
    Map<String, Object> attributes,
    Map<String, Object> plan,
    int timeoutMinutes,
    boolean failOnWarning,
    int pollSeconds)
    implements java.io.Serializable {
  public static final int DEFAULT_TIMEOUT_MINUTES = 240;
  public static final int DEFAULT_POLL_SECONDS = 10;

  /** One week: longer waits are almost certainly a unit mistake. */
  public static final int MAX_TIMEOUT_MINUTES = 7 * 24 * 60;

  public static final int MAX_POLL_SECONDS = 600;

  /** {@code timeoutMinutes}, with 0 read as the default. */
  public int effectiveTimeoutMinutes() {
    return timeoutMinutes == 0 ? DEFAULT_TIMEOUT_MINUTES : timeoutMinutes;
  }

  /** {@code pollSeconds}, with 0 read as the default. */
  public int effectivePollSeconds() {
    return pollSeconds == 0 ? DEFAULT_POLL_SECONDS : pollSeconds;
  }
}
