package io.dvo.gate.jenkins;

import hudson.model.Run;
import io.dvo.gate.pipeline.BuildOutcomeReports;
import io.dvo.gate.pipeline.CredentialSource;
import io.dvo.gate.pipeline.GateCallSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.RunAction2;

/**
 * "DVO Policy Gate" on a build: every gate call of the build with its state, decision, reasons,
 * approvers and review link (a sidebar entry and a box on the build page). Saved with the build;
 * holds plain strings and lists only, so {@code build.xml} reads back with any version.
 */
public final class DvoPolicyGateAction implements RunAction2 {

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private transient Run<?, ?> run;

  /** The build's action, added on first use. */
  static DvoPolicyGateAction of(Run<?, ?> run) {
    synchronized (run) {
      DvoPolicyGateAction action = run.getAction(DvoPolicyGateAction.class);
      if (action == null) {
        action = new DvoPolicyGateAction();
        run.addAction(action);
      }
      return action;
    }
  }

  /**
   * Records the current state of one call (one per idempotency key, in the order they began) and
   * the credential it used (its id and source, never the secret), which the build's outcome report
   * uses again.
   */
  synchronized void record(
      GateCallSummary summary, String credentialsId, String credentialSource) {
    Call call = new Call(summary, credentialsId, credentialSource, null);
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).getKey().equals(call.getKey())) {
        calls.set(i, call);
        return;
      }
    }
    calls.add(call);
  }

  /** Keeps how the run outcome report of {@code key} went, shown with the call. */
  synchronized void reported(String key, String line) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).getKey().equals(key)) {
        calls.set(i, calls.get(i).withOutcomeReport(line));
        return;
      }
    }
  }

  /** The calls as shared-policy's {@link BuildOutcomeReports} reads them. */
  List<BuildOutcomeReports.FinishedCall> finishedCalls() {
    List<BuildOutcomeReports.FinishedCall> finished = new ArrayList<>();
    for (Call call : calls) {
      finished.add(
          new BuildOutcomeReports.FinishedCall(
              call.getTenant(),
              call.getKey(),
              call.getDecision(),
              call.credentialsId,
              call.credentialSource == null
                  ? null
                  : CredentialSource.valueOf(call.credentialSource)));
    }
    return finished;
  }

  public List<Call> getCalls() {
    return List.copyOf(calls);
  }

  public Run<?, ?> getRun() {
    return run;
  }

  @Override
  public String getIconFileName() {
    return "symbol-lock-closed";
  }

  @Override
  public String getDisplayName() {
    return "DVO Policy Gate";
  }

  @Override
  public String getUrlName() {
    return "dvo-policy-gate";
  }

  @Override
  public void onAttached(Run<?, ?> r) {
    run = r;
  }

  @Override
  public void onLoad(Run<?, ?> r) {
    run = r;
  }

  /**
   * One gate call as shown on the build. {@code reviewLink} is only set for an http(s) address on
   * the configured gate's origin; any other address is shown as text ({@code reviewAddress}).
   */
  public static final class Call {
    private final String key;
    private final String service;
    private final String environment;
    private final String tenant;
    private final String state;
    private final String decision;
    private final String approvalId;
    private final ArrayList<String> reasons;
    private final ArrayList<String> warnings;
    private final ArrayList<String> approvers;
    private final String reviewLink;
    private final String reviewAddress;
    // Added later: null in builds recorded before (the outcome report then uses the global key).
    private final String credentialsId;
    private final String credentialSource;
    private final String outcomeReport;

    Call(
        GateCallSummary s, String credentialsId, String credentialSource, String outcomeReport) {
      key = s.key();
      service = s.service();
      environment = s.environment();
      tenant = s.tenant();
      state = s.state();
      decision = s.decision();
      approvalId = s.approvalId();
      reasons = new ArrayList<>(s.reasons());
      warnings = new ArrayList<>(s.warnings());
      approvers = new ArrayList<>(s.approvers());
      reviewLink = s.reviewLink();
      reviewAddress = s.reviewAddress();
      this.credentialsId = credentialsId;
      this.credentialSource = credentialSource;
      this.outcomeReport = outcomeReport;
    }

    private Call withOutcomeReport(String line) {
      return new Call(
          new GateCallSummary(
              key,
              service,
              environment,
              tenant,
              state,
              decision,
              approvalId,
              getReasons(),
              getWarnings(),
              getApprovers(),
              reviewLink,
              reviewAddress),
          credentialsId,
          credentialSource,
          line);
    }

    /** How the run outcome report at the end of the build went; null before (or without one). */
    public String getOutcomeReport() {
      return outcomeReport;
    }

    public String getKey() {
      return key;
    }

    public String getService() {
      return service;
    }

    public String getEnvironment() {
      return environment;
    }

    public String getTenant() {
      return tenant;
    }

    public String getState() {
      return state;
    }

    public String getDecision() {
      return decision;
    }

    public String getApprovalId() {
      return approvalId;
    }

    public List<String> getReasons() {
      return reasons == null ? List.of() : List.copyOf(reasons);
    }

    public List<String> getWarnings() {
      return warnings == null ? List.of() : List.copyOf(warnings);
    }

    public List<String> getApprovers() {
      return approvers == null ? List.of() : List.copyOf(approvers);
    }

    public String getReviewLink() {
      return reviewLink;
    }

    public String getReviewAddress() {
      return reviewAddress;
    }
  }
}
