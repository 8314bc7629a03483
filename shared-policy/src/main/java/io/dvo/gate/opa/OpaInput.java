package io.dvo.gate.opa;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.OutOfScopeTarget;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Scope;
import io.dvo.gate.api.Source;
import io.dvo.gate.json.Json;
import io.dvo.gate.plan.PlanAnalysis;
import io.dvo.gate.policy.EvaluationContext;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The input document the gate sends to OPA: the facts the YAML engine sees (built-ins, {@code
 * config}, plan facts), the whole plan (steps, targets, scope, the gate's scope verdict), the run's
 * estimate and the tenant's quota position, the tenant calendar's facts ({@code in_freeze}, {@code
 * freeze}, {@code is_holiday}) and the request's {@code emergency}. Every member is always present
 * (null when unknown), so a policy never has to tell "absent" from "null".
 *
 * <p>Versioned by {@link #VERSION}: members are only ever added; a change in meaning gets a new
 * version. The JSON Schema is {@code policies/opa/input.schema.json}, described in docs/opa.md.
 */
public final class OpaInput {
  /** The version of the document's layout ({@code input.version}). */
  public static final int VERSION = 1;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private OpaInput() {}

  /**
   * @param context what the YAML engine evaluates (built-ins computed from the caller and clock)
   * @param plan the gate's analysis of {@code request.plan()} (estimate, scope verdict)
   * @param quota the tenant's position before this run
   */
  public static ObjectNode of(
      GateRequest request, EvaluationContext context, PlanAnalysis plan, QuotaView quota) {
    ObjectNode input = NODES.objectNode();
    input.put("version", VERSION);
    input.put("tenant_id", request.tenantId());
    // Not a fact to decide on, but what the gate's audit trail and OPA's decision log share.
    input.put("idempotency_key", request.idempotencyKey());
    input.put("environment", context.environment());
    input.put("agent_id", context.agentId());
    ObjectNode user = input.putObject("user");
    user.put("id", context.user().id());
    user.put("email", context.user().email());
    strings(user.putArray("roles"), context.user().roles());
    input.set("initiator", initiator(context.initiator()));
    input.put("deployment_hour", context.deploymentHour());
    input.put("is_weekend", context.isWeekend());
    input.put(
        "timestamp",
        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(context.timestamp().atZone(context.zone())));
    input.put("time_zone", context.zone().getId());
    // The tenant calendar's facts at that moment, as YAML rules see them.
    input.put("in_freeze", context.calendar().inFreeze());
    if (context.calendar().freezeName() == null) {
      input.putNull("freeze");
    } else {
      input.putObject("freeze").put("name", context.calendar().freezeName());
    }
    input.put("is_holiday", context.calendar().isHoliday());
    input.set("config", Json.mapper().valueToTree(context.config()));
    input.put("estimate", plan.estimate());
    input.set("plan", plan(request.plan(), plan));
    input.set("quota", quota(quota));
    input.set("source", source(request.source()));
    input.set("emergency", emergency(request.emergency()));
    return input;
  }

  /** The emergency as the request carried it (reason, ticket), or null. */
  private static ObjectNode emergency(io.dvo.gate.api.Emergency emergency) {
    if (emergency == null) {
      return null;
    }
    ObjectNode node = NODES.objectNode();
    node.put("reason", emergency.reason());
    node.put("ticket", emergency.ticket());
    return node;
  }

  private static ObjectNode initiator(Initiator initiator) {
    if (initiator == null) {
      return null;
    }
    ObjectNode node = NODES.objectNode();
    node.put("id", initiator.id());
    node.put("email", initiator.email());
    node.put("display_name", initiator.displayName());
    return node;
  }

  private static ObjectNode plan(Plan plan, PlanAnalysis analysis) {
    if (plan == null) {
      return null;
    }
    ObjectNode node = NODES.objectNode();
    node.put("engagement_id", plan.engagementId());
    node.put(
        "max_risk_tier", analysis.maxRiskTier() == null ? null : analysis.maxRiskTier().wireName());
    node.put("estimate", analysis.estimate());
    node.put("step_count", analysis.stepCount());
    Scope scope = plan.scope();
    ObjectNode scopeNode = node.putObject("scope");
    strings(scopeNode.putArray("hosts"), scope.hosts());
    strings(scopeNode.putArray("cidrs"), scope.cidrs());
    strings(scopeNode.putArray("url_prefixes"), scope.urlPrefixes());
    ArrayNode steps = node.putArray("steps");
    for (PlanStep step : plan.steps()) {
      ObjectNode s = steps.addObject();
      s.put("id", step.id());
      s.put("name", step.name());
      s.put("risk_tier", step.riskTier() == null ? null : step.riskTier().wireName());
      s.put("estimate", step.estimate());
      strings(s.putArray("targets"), step.targets());
    }
    ArrayNode outside = node.putArray("out_of_scope_targets");
    for (OutOfScopeTarget target : analysis.outOfScopeTargets()) {
      ObjectNode t = outside.addObject();
      t.put("step_id", target.stepId());
      t.put("target", target.target());
    }
    strings(node.putArray("intrusive_steps"), analysis.intrusiveSteps());
    return node;
  }

  private static ObjectNode quota(QuotaView quota) {
    ObjectNode node = NODES.objectNode();
    node.put("period", quota.period());
    node.put("budget", quota.budget());
    node.put("used", quota.used());
    node.put("estimate", quota.estimate());
    node.put("remaining", quota.remaining());
    node.put("per_plan_cap", quota.perPlanCap());
    return node;
  }

  private static ObjectNode source(Source source) {
    if (source == null) {
      return null;
    }
    ObjectNode node = NODES.objectNode();
    node.put("kind", source.kind());
    node.put("url", source.url());
    node.put("job", source.job());
    node.put("build", source.build());
    return node;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
