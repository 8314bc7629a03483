package io.dvo.gate.pipeline;

import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the gate request a pipeline step sends. */
public final class GateRequests {
  /** The source kind the gate records for requests from the Jenkins step. */
  public static final String SOURCE_KIND = "jenkins";

  private GateRequests() {}

  /**
   * The gate request for one step call. Missing {@code tenant} falls back to {@code defaultTenant},
   * missing {@code agent} to the job's full name; the idempotency key is {@link
   * IdempotencyKeys#forStep} of the build URL and flow node id.
   *
   * @throws InvalidStepParametersException listing every problem, each naming its parameter
   */
  public static GateRequest fromStep(StepParameters p, BuildInfo b, String defaultTenant) {
    if (p == null || b == null) {
      throw new IllegalArgumentException("step parameters and build info are required");
    }
    List<String> problems = new ArrayList<>();

    String environment = trimmed(p.environment());
    if (environment == null) {
      problems.add("environment: required, e.g. environment: 'production'");
    } else if (!environment.equals(environment.toLowerCase(java.util.Locale.ROOT))) {
      // The gate refuses it too: policies match environments exactly, in lower case.
      problems.add(
          "environment: must be lower case, e.g. environment: '"
              + environment.toLowerCase(java.util.Locale.ROOT)
              + "'");
    }
    String agent = firstText(p.agent(), b.jobFullName());
    if (agent == null) {
      problems.add("agent: required (the job has no name to default to)");
    }
    String tenant = firstText(p.tenant(), defaultTenant);
    if (tenant == null) {
      problems.add(
          "tenant: required: set tenant: in the step or a default tenant in the global"
              + " configuration of the DVO Policy Gate");
    }
    Long estimate = StepPlans.estimate(p.estimate(), "estimate", problems);
    checkWaitSettings(p, problems);

    Map<String, Object> attributes = new LinkedHashMap<>();
    if (p.attributes() != null) {
      Object copy = JsonLikeValues.copy(p.attributes(), "attributes", problems);
      if (copy instanceof Map<?, ?> m) {
        m.forEach((k, v) -> attributes.put((String) k, v));
      }
    }

    Plan plan = null;
    if (p.plan() != null) {
      Object copy = JsonLikeValues.copy(p.plan(), "plan", problems);
      if (copy instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> planMap = (Map<String, Object>) m;
        plan = StepPlans.convert(planMap, problems);
      }
    }

    String key = null;
    if (trimmed(b.buildUrl()) == null) {
      problems.add(
          "build URL: unknown; set the Jenkins URL in Manage Jenkins > System so the step can"
              + " build its idempotency key");
    } else if (trimmed(b.flowNodeId()) == null) {
      problems.add("flow node id: unknown (internal error of the pipeline step)");
    } else {
      key = IdempotencyKeys.forStep(b.buildUrl(), b.flowNodeId());
    }

    if (!problems.isEmpty()) {
      throw new InvalidStepParametersException(problems);
    }
    Source source = new Source(SOURCE_KIND, b.buildUrl(), b.jobFullName(), b.buildNumber());
    return new GateRequest(tenant, key, agent, environment, estimate, attributes, source, plan);
  }

  private static void checkWaitSettings(StepParameters p, List<String> problems) {
    if (p.timeoutMinutes() < 0 || p.timeoutMinutes() > StepParameters.MAX_TIMEOUT_MINUTES) {
      problems.add(
          "timeoutMinutes: must be between 1 and "
              + StepParameters.MAX_TIMEOUT_MINUTES
              + " (0 means "
              + StepParameters.DEFAULT_TIMEOUT_MINUTES
              + "), got "
              + p.timeoutMinutes());
    }
    if (p.pollSeconds() < 0 || p.pollSeconds() > StepParameters.MAX_POLL_SECONDS) {
      problems.add(
          "pollSeconds: must be between 1 and "
              + StepParameters.MAX_POLL_SECONDS
              + " (0 means "
              + StepParameters.DEFAULT_POLL_SECONDS
              + "), got "
              + p.pollSeconds());
    }
  }

  private static String firstText(String preferred, String fallback) {
    String v = trimmed(preferred);
    return v != null ? v : trimmed(fallback);
  }

  private static String trimmed(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
