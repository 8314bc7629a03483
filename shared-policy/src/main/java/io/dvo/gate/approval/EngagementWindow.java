package io.dvo.gate.approval;

import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an engagement-window approval covers, and what it has covered so far. Stored in its {@link
 * ApprovalRecord} ({@code window}), so votes, expiry, cancellation, history and the review page are
 * those of every approval; the record's ETag also serialises the use of the credit ceiling.
 *
 * @param agentId the one agent whose runs it covers; null: every agent of the engagement
 * @param riskTier the highest risk tier of a covered step
 * @param creditCeiling the most credits the covered runs may take in all; null: no ceiling
 * @param creditsUsed what the covered runs have taken (sum of {@code uses})
 * @param uses the covered runs, oldest first, one per idempotency key
 */
public record EngagementWindow(
    String engagementId,
    String reason,
    String environment,
    String agentId,
    Instant startsAt,
    Instant endsAt,
    Scope scope,
    RiskTier riskTier,
    Long creditCeiling,
    long creditsUsed,
    List<WindowUse> uses) {

  /**
   * Runs one window covers at most; then a new window is needed. Its record holds each run (and a
   * history line for it), so this keeps it well under Cosmos DB's 2 MB item limit even with
   * 512-character idempotency keys.
   */
  public static final int MAX_USES = 500;

  public EngagementWindow {
    Objects.requireNonNull(engagementId, "engagementId");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(endsAt, "endsAt");
    Objects.requireNonNull(riskTier, "riskTier");
    scope = scope == null ? new Scope(null, null, null) : scope;
    uses = uses == null ? List.of() : List.copyOf(uses);
  }

  /** True when {@code now} lies in [starts_at, ends_at). */
  public boolean openAt(Instant now) {
    return !now.isBefore(startsAt) && now.isBefore(endsAt);
  }

  /** Credits still under the ceiling (null without a ceiling); never negative. */
  public Long creditsLeft() {
    return creditCeiling == null ? null : Math.max(0, creditCeiling - creditsUsed);
  }

  /** Whether {@code credits} more stay within the ceiling (always, without one). */
  public boolean fits(long credits) {
    // used + credits <= ceiling, written so that no sum can overflow (as QuotaMath does).
    return creditCeiling == null
        || (credits <= creditCeiling && creditsUsed <= creditCeiling - credits);
  }

  /** The use recorded for this idempotency key, or null. */
  public WindowUse useOf(String idempotencyKey) {
    for (WindowUse use : uses) {
      if (use.idempotencyKey().equals(idempotencyKey)) {
        return use;
      }
    }
    return null;
  }

  /** This window with one more covered run. */
  public EngagementWindow with(WindowUse use) {
    List<WindowUse> more = new ArrayList<>(uses.size() + 1);
    more.addAll(uses);
    more.add(use);
    return new EngagementWindow(
        engagementId,
        reason,
        environment,
        agentId,
        startsAt,
        endsAt,
        scope,
        riskTier,
        creditCeiling,
        creditsUsed > Long.MAX_VALUE - use.credits() ? Long.MAX_VALUE : creditsUsed + use.credits(),
        more);
  }

  /** This window without the use of {@code idempotencyKey} (its charge was refused). */
  public EngagementWindow without(String idempotencyKey) {
    WindowUse use = useOf(idempotencyKey);
    if (use == null) {
      return this;
    }
    List<WindowUse> fewer = new ArrayList<>(uses);
    fewer.remove(use);
    return new EngagementWindow(
        engagementId,
        reason,
        environment,
        agentId,
        startsAt,
        endsAt,
        scope,
        riskTier,
        creditCeiling,
        Math.max(0, creditsUsed - use.credits()),
        fewer);
  }
}
