package io.dvo.gate.api;

import io.dvo.gate.identity.Actor;
import java.util.Objects;

/**
 * The person behind a run (who started the build), as the trusted pipeline principal asserts it.
 * The gate cannot verify it; it records it, shows it to approvers, exposes it to policies as {@code
 * initiator.*}, and never lets that person approve or reject the run.
 *
 * @param id the pipeline's user id (e.g. the Jenkins user id), required
 * @param email optional; compared ignoring case
 * @param displayName optional; for people
 */
public record Initiator(String id, String email, String displayName) {
  public Initiator {
    Objects.requireNonNull(id, "id");
  }

  /** The initiator as an actor, for same-person checks and labels. */
  public Actor asActor() {
    return new Actor(id, email, displayName);
  }
}
