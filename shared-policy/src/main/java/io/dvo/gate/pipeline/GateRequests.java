package io.dvo.gate.pipeline;

import io.dvo.gate.api.Emergency;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the gate request a pipeline step sends, with everything else the step needs to run. */
public final class GateRequests {
  /** The source kind the gate records for requests from the Jenkins step. */
  public static final String SOURCE_KIND = "jenkins";

  private GateRequests() {}

  /**
   * The prepared request for one step call.
   *
   * <ul>
   *   <li>{@code service} (or its old name {@code agent}) defaults to the job's full name.
   *   <li>{@code tenant}: the step's, else the folder's pin, else the global default; a step in a
   *       folder that pins a tenant may not name another one.
   *   <li>credential: the step's {@code credentialsId}, else the folder's pin, else the global one;
   *       a step in a folder that pins a credential may not name another one.
   *   <li>the idempotency key is {@link IdempotencyKeys#forStep} of the build URL, the build's
   *       scheduled time and the flow node id; the initiator is {@link Initiators#of} the causes.
   * </ul>
   *
   * @throws InvalidStepParametersException listing every problem, each naming its parameter
   */
  public static StepRequest fromStep(StepParameters p, BuildInfo b, StepDefaults defaults) {
    if (p == null || b == null) {
      throw new IllegalArgumentException("step parameters and build info are required");
    }
    StepDefaults d = defaults == null ? new StepDefaults(null, null, null) : defaults;
    FolderPin pin = d.folder();
    List<String> problems = new ArrayList<>();

    String environment = trimmed(p.environment());
    if (environment == null) {
      problems.add("environment: required, e.g. environment: 'production'");
    } else if (!environment.equals(environment.toLowerCase(Locale.ROOT))) {
      // The gate refuses it too: policies match environments exactly, in lower case.
      problems.add(
          "environment: must be lower case, e.g. environment: '"
              + environment.toLowerCase(Locale.ROOT)
              + "'");
    }
    String agent = service(p, b, problems);
    String tenant = tenant(p, d, pin, problems);
    String credentialsId = null;
    CredentialSource credentialSource = null;
    String stepCredentials = trimmed(p.credentialsId());
    String pinnedCredentials = pin == null ? null : trimmed(pin.credentialsId());
    if (pinnedCredentials != null) {
      if (stepCredentials != null && !stepCredentials.equals(pinnedCredentials)) {
        problems.add(
            "credentialsId: folder '"
                + pin.folder()
                + "' pins the gate credential '"
                + pinnedCredentials
                + "'; its jobs may not use '"
                + stepCredentials
                + "' (leave credentialsId out)");
      }
      credentialsId = pinnedCredentials;
      credentialSource = CredentialSource.FOLDER;
    } else if (stepCredentials != null) {
      credentialsId = stepCredentials;
      credentialSource = CredentialSource.STEP;
    } else if (trimmed(d.credentialsId()) != null) {
      credentialsId = trimmed(d.credentialsId());
      credentialSource = CredentialSource.GLOBAL;
    }
    Long estimate = StepPlans.estimate(p.estimate(), "estimate", problems);
    checkWaitSettings(p, problems);
    if (p.failOnWarning() && p.unstableOnWarning()) {
      problems.add(
          "failOnWarning, unstableOnWarning: choose one (fail the step, or go on and mark the"
              + " build unstable)");
    }
    OnWarning onWarning =
        p.failOnWarning()
            ? OnWarning.FAIL
            : p.unstableOnWarning() ? OnWarning.UNSTABLE : OnWarning.CONTINUE;

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

    Emergency emergency = emergency(p.emergency(), problems);

    String key = null;
    if (trimmed(b.buildUrl()) == null) {
      problems.add(
          "build URL: unknown; set the Jenkins URL in Manage Jenkins > System so the step can"
              + " build its idempotency key");
    } else if (b.buildTimestampMillis() <= 0) {
      problems.add("build start time: unknown (internal error of the pipeline step)");
    } else if (trimmed(b.flowNodeId()) == null) {
      problems.add("flow node id: unknown (internal error of the pipeline step)");
    } else {
      key = IdempotencyKeys.forStep(b.buildUrl(), b.buildTimestampMillis(), b.flowNodeId());
    }

    if (!problems.isEmpty()) {
      throw new InvalidStepParametersException(problems);
    }
    Source source = new Source(SOURCE_KIND, b.buildUrl(), b.jobFullName(), b.buildNumber());
    Initiator initiator = Initiators.of(b.causes()).orElse(null);
    GateRequest gate =
        new GateRequest(
            tenant,
            key,
            agent,
            environment,
            estimate,
            attributes,
            source,
            plan,
            initiator,
            emergency);
    return new StepRequest(
        gate,
        initiator,
        credentialsId,
        credentialSource,
        onWarning,
        p.effectiveTimeoutMinutes(),
        p.effectivePollSeconds(),
        p.waitForLock());
  }

  /**
   * {@code emergency: [reason: '...', ticket: 'INC-1234']}: both required text; the gate checks the
   * rest (lengths, printable text) and answers with the break-glass approval or the reason it
   * cannot override.
   */
  private static Emergency emergency(Map<String, Object> given, List<String> problems) {
    if (given == null || given.isEmpty()) {
      return null;
    }
    for (String key : given.keySet()) {
      if (!key.equals("reason") && !key.equals("ticket")) {
        problems.add(
            "emergency: unknown key '"
                + key
                + "' (expected reason and ticket, e.g. emergency:"
                + " [reason: 'payments outage', ticket: 'INC-4711'])");
      }
    }
    String reason = given.get("reason") instanceof String s ? trimmed(s) : null;
    String ticket = given.get("ticket") instanceof String s ? trimmed(s) : null;
    if (reason == null) {
      problems.add("emergency.reason: required text, why the change cannot wait");
    }
    if (ticket == null) {
      problems.add("emergency.ticket: required, the incident or change ticket (e.g. 'INC-4711')");
    }
    return reason == null || ticket == null ? null : new Emergency(reason, ticket);
  }

  /**
   * A plan document as read from a file or a Jenkinsfile (snake_case keys, JSON-like values) as the
   * gate's {@link Plan}; every problem at once.
   *
   * @throws InvalidStepParametersException naming each bad field
   */
  public static Plan plan(Map<String, Object> plan) {
    List<String> problems = new ArrayList<>();
    Plan converted = null;
    Object copy = JsonLikeValues.copy(plan, "plan", problems);
    if (copy instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> planMap = (Map<String, Object>) m;
      converted = StepPlans.convert(planMap, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidStepParametersException(problems);
    }
    return converted;
  }

  private static String service(StepParameters p, BuildInfo b, List<String> problems) {
    String service = trimmed(p.service());
    String agent = trimmed(p.agent());
    if (service != null && agent != null && !service.equals(agent)) {
      problems.add(
          "service, agent: agent is the old name of service; give one of them (service: '"
              + service
              + "', agent: '"
              + agent
              + "')");
    }
    String chosen = firstText(service != null ? service : agent, b.jobFullName());
    if (chosen == null) {
      problems.add("service: required (the job has no name to default to)");
    }
    return chosen;
  }

  private static String tenant(
      StepParameters p, StepDefaults d, FolderPin pin, List<String> problems) {
    String step = trimmed(p.tenant());
    String pinned = pin == null ? null : trimmed(pin.tenant());
    if (pinned != null) {
      if (step != null && !step.equals(pinned)) {
        problems.add(
            "tenant: folder '"
                + pin.folder()
                + "' pins tenant '"
                + pinned
                + "'; its jobs may not ask for tenant '"
                + step
                + "'");
      }
      return pinned;
    }
    String tenant = firstText(step, d.tenant());
    if (tenant == null) {
      problems.add(
          "tenant: required: set tenant: in the step, a tenant on the folder, or a default tenant"
              + " in the global configuration of the DVO Policy Gate");
    }
    return tenant;
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
