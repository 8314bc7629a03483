package io.dvo.gate.http;

import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.Problem;
import io.dvo.gate.health.Readiness;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * GET /api/v1/health/ready, without sign-in (load balancers and probes call it): 200 when every
 * check passes, else 503 problem+json naming the failing checks. Both list every check.
 */
public final class ReadinessHandlers {
  private final Readiness readiness;

  public ReadinessHandlers(Readiness readiness) {
    this.readiness = readiness;
  }

  public List<Route> routes() {
    return List.of(Route.get(ApiPaths.full(ApiPaths.HEALTH_READY), "Readiness", this::ready));
  }

  HttpResponse ready(Call call) {
    Readiness.Report report = readiness.check();
    Map<String, Object> checks = new LinkedHashMap<>();
    for (Readiness.Check check : report.checks()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("status", check.ok() ? "ok" : "failed");
      if (check.problem() != null) {
        entry.put("problem", check.problem());
      }
      entry.putAll(check.details());
      checks.put(check.name(), entry);
    }
    if (report.ready()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", "ready");
      body.put("version", report.version());
      body.put("checks", checks);
      return HttpResponse.ok(body).withHeader("Cache-Control", "no-store");
    }
    String failing =
        report.checks().stream()
            .filter(c -> !c.ok())
            .map(c -> c.name() + " (" + c.problem() + ")")
            .collect(Collectors.joining(", "));
    Problem problem =
        Problem.of(ErrorCode.NOT_READY, "Not ready: " + failing + ".", null)
            .withInstance(call.request().path());
    Map<String, Object> body = new LinkedHashMap<>(problem.toJson());
    body.put("version", report.version());
    body.put("checks", checks);
    return HttpResponse.json(503, body)
        .withHeader("Content-Type", HttpResponse.PROBLEM_JSON)
        .withHeader("Retry-After", HttpApi.RETRY_AFTER_SECONDS)
        .withHeader("Cache-Control", "no-store");
  }
}
