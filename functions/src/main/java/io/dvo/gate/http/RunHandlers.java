package io.dvo.gate.http;

import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Roles;
import io.dvo.gate.http.auth.Access;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.input.Checked;
import io.dvo.gate.run.OutcomeRequest;
import io.dvo.gate.service.GateException;
import io.dvo.gate.service.GateService;
import java.util.List;

/**
 * Run outcomes: a pipeline reports how a run the gate let start ended (docs/run-outcomes.md). The
 * answer is the run as stored, with its outcome; sending the same outcome again answers the same.
 */
public final class RunHandlers {
  private final GateService gate;

  public RunHandlers(GateService gate) {
    this.gate = gate;
  }

  public List<Route> routes() {
    return List.of(
        Route.post(
            ApiPaths.full(ApiPaths.RUN_OUTCOME),
            "Report a run's outcome (reconciles its usage)",
            this::outcome));
  }

  HttpResponse outcome(Call call) {
    String tenant = call.path("tenant");
    Principal who = call.principal();
    Access.requireAnyRole(who, Roles.GATE_CALLER, Roles.ADMIN);
    Access.requireTenant(who, tenant);
    Checked<OutcomeRequest, FieldError> parsed = OutcomeRequest.parse(call.jsonTree());
    if (!parsed.ok()) {
      throw ApiException.invalid(
          "The run outcome is invalid: " + parsed.describe(), parsed.problems());
    }
    try {
      return HttpResponse.ok(gate.reportOutcome(tenant, call.path("key"), parsed.value(), who));
    } catch (GateException e) {
      throw GateHandlers.refusal(e);
    }
  }
}
