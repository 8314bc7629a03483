package io.dvo.gate.pipeline;

import io.dvo.gate.api.Initiator;
import java.util.List;
import java.util.Optional;

/**
 * Who started a build, from its causes: the person the gate must never let approve this run.
 *
 * <ul>
 *   <li>A user cause on the build itself names the initiator. A replay or rebuild carries the user
 *       cause of the person who replayed it, so that person is the initiator, not whoever started
 *       the original build (the replay marker is never followed).
 *   <li>Otherwise the upstream causes are walked, in order, depth first: a build triggered by a
 *       build a person started was initiated by that person.
 *   <li>Timers, SCM changes, branch indexing and remote triggers name nobody: no initiator, and the
 *       gate records the request as made by the pipeline alone.
 * </ul>
 *
 * <p>The first person found wins (Jenkins merges the causes of queued duplicates). A user id the
 * gate would refuse (too long, control characters) gives no initiator rather than a wrong one; an
 * e-mail or display name the gate would refuse is left out.
 */
public final class Initiators {
  /** Jenkins keeps at most 10 levels of upstream causes; this bounds a hand-made cycle too. */
  static final int MAX_DEPTH = 16;

  // The gate's limits for initiator fields (its request parser refuses longer values).
  static final int MAX_ID_LENGTH = 256;
  static final int MAX_EMAIL_LENGTH = 254;
  static final int MAX_NAME_LENGTH = 256;

  private Initiators() {}

  public static Optional<Initiator> of(List<BuildCause> causes) {
    return find(causes == null ? List.of() : causes, 0);
  }

  private static Optional<Initiator> find(List<BuildCause> causes, int depth) {
    if (depth > MAX_DEPTH) {
      return Optional.empty();
    }
    for (BuildCause cause : causes) {
      if (cause != null && cause.kind() == BuildCause.Kind.USER && text(cause.userId()) != null) {
        return person(cause);
      }
    }
    for (BuildCause cause : causes) {
      if (cause != null && cause.kind() == BuildCause.Kind.UPSTREAM) {
        Optional<Initiator> found = find(cause.upstream(), depth + 1);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Initiator> person(BuildCause cause) {
    String id = text(cause.userId());
    if (!printable(id, MAX_ID_LENGTH)) {
      return Optional.empty();
    }
    String email = text(cause.userEmail());
    if (!printable(email, MAX_EMAIL_LENGTH)
        || email.chars().anyMatch(Character::isWhitespace)
        || email.indexOf('@') <= 0
        || email.indexOf('@') == email.length() - 1) {
      email = null;
    }
    String name = text(cause.userName());
    if (!printable(name, MAX_NAME_LENGTH)) {
      name = null;
    }
    return Optional.of(new Initiator(id, email, name));
  }

  private static boolean printable(String value, int maxLength) {
    return value != null
        && value.length() <= maxLength
        && value.chars().noneMatch(Character::isISOControl);
  }

  private static String text(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
