package io.dvo.gate.pipeline;

import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;

/**
 * One step call, prepared before any network call: the gate request, the person who started the
 * build, the credential to use and where to look it up, and how to wait.
 *
 * @param initiator who started the build; null when no person did (timer, SCM, indexing). Carried
 *     beside {@code gate} until the gate request has an {@code initiator} field of its own.
 * @param credentialsId the credential's id; null when none is configured anywhere
 * @param credentialSource where {@code credentialsId} was chosen; null with it
 * @param timeoutMinutes the effective wait for an approval, 1..{@value
 *     StepParameters#MAX_TIMEOUT_MINUTES}
 * @param pollSeconds the effective poll interval, 1..{@value StepParameters#MAX_POLL_SECONDS}
 * @param waitForLock wait while another run holds the environment's lock ({@link
 *     GateStepRun.Settings#withLockWait()})
 */
public record StepRequest(
    GateRequest gate,
    Initiator initiator,
    String credentialsId,
    CredentialSource credentialSource,
    OnWarning onWarning,
    int timeoutMinutes,
    int pollSeconds,
    boolean waitForLock) {
  public StepRequest {
    java.util.Objects.requireNonNull(gate, "gate");
    java.util.Objects.requireNonNull(onWarning, "onWarning");
  }
}
