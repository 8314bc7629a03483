package io.dvo.gate.pipeline;

import java.util.List;

/**
 * One cause of a build, described without Jenkins types: the Jenkins glue turns each {@code
 * hudson.model.Cause} into one of these, and {@link Initiators} decides from them who started the
 * run.
 *
 * @param kind what started the build
 * @param userId for {@link Kind#USER}: the user's id, null when the user is unknown (anonymous)
 * @param userEmail for {@link Kind#USER}: the user's e-mail address, if known
 * @param userName for {@link Kind#USER}: the user's display name, if known
 * @param upstream for {@link Kind#UPSTREAM}: the causes of the build that triggered this one
 */
public record BuildCause(
    Kind kind, String userId, String userEmail, String userName, List<BuildCause> upstream) {

  /** What started a build. */
  public enum Kind {
    /** A person (Jenkins' {@code Cause.UserIdCause}; a replay or rebuild carries one too). */
    USER,
    /** Another build ({@code Cause.UpstreamCause}), whose own causes are in {@code upstream}. */
    UPSTREAM,
    /**
     * Anything else: a timer, an SCM change, branch indexing, a remote trigger, the replay marker
     * pointing at the original build. None of these names a person.
     */
    OTHER
  }

  public BuildCause {
    java.util.Objects.requireNonNull(kind, "kind");
    upstream = upstream == null ? List.of() : List.copyOf(upstream);
  }

  public static BuildCause user(String id, String email, String name) {
    return new BuildCause(Kind.USER, id, email, name, List.of());
  }

  public static BuildCause upstream(List<BuildCause> causes) {
    return new BuildCause(Kind.UPSTREAM, null, null, null, causes);
  }

  public static BuildCause other() {
    return new BuildCause(Kind.OTHER, null, null, null, List.of());
  }
}
