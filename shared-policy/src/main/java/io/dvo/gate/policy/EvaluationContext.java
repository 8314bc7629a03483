package io.dvo.gate.policy;

import io.dvo.gate.api.Initiator;
import io.dvo.gate.identity.Principal;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What policies see. Built-ins ({@code environment}, {@code agent_id}, {@code user.*}, {@code
 * initiator.*}, {@code deployment_hour}, {@code is_weekend}, {@code timestamp}) are computed here
 * from the request, the caller and the clock in the configured zone; caller attributes live only
 * under {@code config.*} and plan facts under {@code plan.*}, so a caller can never shadow a
 * built-in.
 *
 * @param config caller attributes (JSON-like values: String, Number, Boolean, List, Map, null)
 * @param plan plan facts ({@code max_risk_tier}, {@code estimate}, {@code engagement_id}, {@code
 *     step_count}); without a plan only an explicit estimate
 * @param initiator the person behind the run as the pipeline asserted it; null when none was (then
 *     every {@code initiator.*} field is absent)
 * @param succeededIn the environments in which the gate's own records show a recent successful run
 *     of this agent with the request's artifact version ({@code evidence.succeeded_in.<env>} is
 *     true for these and false for every other environment)
 */
public record EvaluationContext(
    String environment,
    String agentId,
    UserContext user,
    Instant timestamp,
    ZoneId zone,
    int deploymentHour,
    boolean isWeekend,
    Map<String, Object> config,
    Map<String, Object> plan,
    Initiator initiator,
    java.util.Set<String> succeededIn) {

  /** The user as policies see it. */
  public record UserContext(String id, String email, List<String> roles) {
    public UserContext {
      id = id == null ? "" : id;
      email = email == null ? "" : email;
      roles = roles == null ? List.of() : List.copyOf(roles);
    }

    public static UserContext of(Principal principal) {
      return new UserContext(
          principal.id(), principal.email(), principal.roles().stream().sorted().toList());
    }
  }

  public EvaluationContext {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(zone, "zone");
    environment = environment == null ? "" : environment;
    // Agent ids are case-insensitive (Jenkins job names carry capitals): a rule scoped to
    // "payments-api" must not be skipped for "Payments-API". Rules are written in lower case.
    agentId = agentId == null ? "" : agentId.toLowerCase(java.util.Locale.ROOT);
    user = user == null ? new UserContext("", "", List.of()) : user;
    config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(config);
    plan = plan == null ? Map.of() : java.util.Collections.unmodifiableMap(plan);
    succeededIn = succeededIn == null ? java.util.Set.of() : java.util.Set.copyOf(succeededIn);
  }

  /** A context without evidence. */
  public EvaluationContext(
      String environment,
      String agentId,
      UserContext user,
      Instant timestamp,
      ZoneId zone,
      int deploymentHour,
      boolean isWeekend,
      Map<String, Object> config,
      Map<String, Object> plan,
      Initiator initiator) {
    this(
        environment,
        agentId,
        user,
        timestamp,
        zone,
        deploymentHour,
        isWeekend,
        config,
        plan,
        initiator,
        null);
  }

  /**
   * This context with the gate's own evidence: the environments in which a run of this agent with
   * the request's artifact version succeeded recently ({@code evidence.succeeded_in.<env>}).
   */
  public EvaluationContext withEvidence(java.util.Set<String> environments) {
    return new EvaluationContext(
        environment,
        agentId,
        user,
        timestamp,
        zone,
        deploymentHour,
        isWeekend,
        config,
        plan,
        initiator,
        environments);
  }

  /** A context without an initiator. */
  public EvaluationContext(
      String environment,
      String agentId,
      UserContext user,
      Instant timestamp,
      ZoneId zone,
      int deploymentHour,
      boolean isWeekend,
      Map<String, Object> config,
      Map<String, Object> plan) {
    this(
        environment, agentId, user, timestamp, zone, deploymentHour, isWeekend, config, plan, null);
  }

  /** Builds a context whose time facts come from {@code clock} in {@code zone}. */
  public static EvaluationContext of(
      Clock clock,
      ZoneId zone,
      String environment,
      String agentId,
      UserContext user,
      Map<String, Object> config,
      Map<String, Object> plan) {
    return of(clock, zone, environment, agentId, user, config, plan, null);
  }

  /** As above, with the run's initiator (null: none asserted). */
  public static EvaluationContext of(
      Clock clock,
      ZoneId zone,
      String environment,
      String agentId,
      UserContext user,
      Map<String, Object> config,
      Map<String, Object> plan,
      Initiator initiator) {
    Instant now = clock.instant();
    ZonedDateTime local = now.atZone(zone);
    DayOfWeek day = local.getDayOfWeek();
    boolean weekend = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
    return new EvaluationContext(
        environment, agentId, user, now, zone, local.getHour(), weekend, config, plan, initiator);
  }
}
