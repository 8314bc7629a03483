package io.dvo.gate.pipeline;

import java.util.Objects;

/**
 * The person who started a build, as the step asserts it to the gate ({@code initiator}: id,
 * e-mail, display name). Built by {@link Initiators}, which only keeps values the gate accepts.
 *
 * @param id the CI user id, never blank
 * @param email null when unknown
 * @param displayName null when unknown
 */
public record BuildInitiator(String id, String email, String displayName) {
  public BuildInitiator {
    Objects.requireNonNull(id, "id");
  }
}
