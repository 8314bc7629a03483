package io.dvo.gate.api;

import java.time.Instant;

/**
 * The engagement-window approval that let a run go ahead without an approval of its own.
 *
 * @param creditCeiling null when the window has no ceiling
 * @param creditsUsed what the window's runs have taken, this one included
 * @param creditsLeft null when the window has no ceiling
 */
public record WindowInfo(
    String approvalId,
    String engagementId,
    Instant startsAt,
    Instant endsAt,
    Long creditCeiling,
    long creditsUsed,
    Long creditsLeft,
    String statusUrl,
    String reviewUrl) {}
