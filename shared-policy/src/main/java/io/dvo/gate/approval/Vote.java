package io.dvo.gate.approval;

import io.dvo.gate.identity.Actor;
import java.time.Instant;
import java.util.List;

/** One person's recorded decision, with the roles they held when they made it. */
public record Vote(Actor voter, List<String> roles, VoteKind kind, String comment, Instant at) {
  public Vote {
    roles = roles == null ? List.of() : List.copyOf(roles);
    comment = comment == null ? "" : comment;
  }
}
