package io.dvo.gate.run;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of run records.
 *
 * @param evidenceMaxAge how long a successful run counts for {@code evidence.succeeded_in.*}
 * @param exclusiveEnvironments environments where one run per agent goes at a time: while a run
 *     allowed there has not reported its outcome (and its lock has not expired), another is denied
 *     naming the holder; empty for none
 * @param lockDuration how long a lock holds without an outcome
 * @param supersedeEnvironments environments where a newer pending approval of an agent cancels that
 *     agent's older pending ones there ("run latest"); empty for none
 */
public record RunSettings(
    Duration evidenceMaxAge,
    Set<String> exclusiveEnvironments,
    Duration lockDuration,
    Set<String> supersedeEnvironments) {
  public static final Duration DEFAULT_EVIDENCE_MAX_AGE = Duration.ofDays(30);
  public static final Duration DEFAULT_LOCK_DURATION = Duration.ofHours(2);

  public RunSettings {
    Objects.requireNonNull(evidenceMaxAge, "evidenceMaxAge");
    Objects.requireNonNull(lockDuration, "lockDuration");
    if (evidenceMaxAge.isNegative()
        || evidenceMaxAge.isZero()
        || lockDuration.isNegative()
        || lockDuration.isZero()) {
      throw new IllegalArgumentException("durations must be positive");
    }
    exclusiveEnvironments = names(exclusiveEnvironments);
    supersedeEnvironments = names(supersedeEnvironments);
  }

  /** Without superseding. */
  public RunSettings(
      Duration evidenceMaxAge, Set<String> exclusiveEnvironments, Duration lockDuration) {
    this(evidenceMaxAge, exclusiveEnvironments, lockDuration, Set.of());
  }

  private static Set<String> names(Set<String> environments) {
    return environments == null
        ? Set.of()
        : environments.stream()
            .map(e -> e.trim().toLowerCase(Locale.ROOT))
            .filter(e -> !e.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  public static RunSettings defaults() {
    return new RunSettings(DEFAULT_EVIDENCE_MAX_AGE, Set.of(), DEFAULT_LOCK_DURATION);
  }

  public boolean exclusive(String environment) {
    return environment != null
        && exclusiveEnvironments.contains(environment.toLowerCase(Locale.ROOT));
  }

  /** Whether a newer pending approval there supersedes the agent's older ones. */
  public boolean supersedes(String environment) {
    return environment != null
        && supersedeEnvironments.contains(environment.toLowerCase(Locale.ROOT));
  }
}
