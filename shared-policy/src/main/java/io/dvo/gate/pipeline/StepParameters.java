package io.dvo.gate.pipeline;

import java.util.Map;

/**
 * The parameters of one {@code dvoPolicyGate(...)} call, as written in the Jenkinsfile. Values are
 * checked by {@link GateRequests#fromStep}, which reports every problem at once.
 *
 * @param service the service being deployed; null means {@code agent}, then the job's full name
 * @param agent the old name of {@code service} (it clashes with Declarative's {@code agent}
 *     directive), still accepted
 * @param tenant null means the folder's pinned tenant, then the global default tenant
 * @param credentialsId a Secret text credential looked up in the build's context; null means the
 *     folder's pinned credential, then the global one
 * @param estimate credits; null means the sum of the plan's step estimates
 * @param attributes free-form facts for policies ({@code config.*}): JSON-like values only
 * @param plan the plan document (e.g. {@code readJSON(file: 'plan.json')}), snake_case keys
 * @param timeoutMinutes how long to wait for an approval; 0 means {@link #DEFAULT_TIMEOUT_MINUTES}
 * @param failOnWarning fail the step when the gate allows with warnings
 * @param unstableOnWarning mark the build unstable when the gate allows with warnings
 * @param pollSeconds delay between reads when the gate does not long-poll, and the first retry
 *     delay after an error; 0 means {@link #DEFAULT_POLL_SECONDS}
 * @param emergency break-glass reason and ticket, or null
 * @param waitForLock wait (asking again every poll interval, until the timeout) while another run
 *     of the agent holds the environment's one-at-a-time lock, instead of failing
 */
public record StepParameters(
    String environment,
    String service,
    String agent,
    String tenant,
    String credentialsId,
    Long estimate,
    Map<String, Object> attributes,
    Map<String, Object> plan,
    int timeoutMinutes,
    boolean failOnWarning,
    boolean unstableOnWarning,
    int pollSeconds,
    Map<String, Object> emergency,
    boolean waitForLock) {
  public static final int DEFAULT_TIMEOUT_MINUTES = 240;

  /** Parameters that fail while another run holds the lock. */
  public StepParameters(
      String environment,
      String service,
      String agent,
      String tenant,
      String credentialsId,
      Long estimate,
      Map<String, Object> attributes,
      Map<String, Object> plan,
      int timeoutMinutes,
      boolean failOnWarning,
      boolean unstableOnWarning,
      int pollSeconds,
      Map<String, Object> emergency) {
    this(
        environment,
        service,
        agent,
        tenant,
        credentialsId,
        estimate,
        attributes,
        plan,
        timeoutMinutes,
        failOnWarning,
        unstableOnWarning,
        pollSeconds,
        emergency,
        false);
  }

  /** Parameters without an emergency. */
  public StepParameters(
      String environment,
      String service,
      String agent,
      String tenant,
      String credentialsId,
      Long estimate,
      Map<String, Object> attributes,
      Map<String, Object> plan,
      int timeoutMinutes,
      boolean failOnWarning,
      boolean unstableOnWarning,
      int pollSeconds) {
    this(
        environment,
        service,
        agent,
        tenant,
        credentialsId,
        estimate,
        attributes,
        plan,
        timeoutMinutes,
        failOnWarning,
        unstableOnWarning,
        pollSeconds,
        null,
        false);
  }

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
