package io.dvo.gate.approval;

import io.dvo.gate.identity.Actor;
import java.time.Instant;

/**
 * One line of an approval's history: created, approved (a vote), rejected, expired, cancelled,
 * charged, notified, ... {@code actor} is null for the system (sweeps, timers).
 */
public record ApprovalEvent(Instant at, String type, Actor actor, String detail) {
  public static final String CREATED = "created";
  public static final String VOTED = "voted";
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";
  public static final String EXPIRED = "expired";
  public static final String CANCELLED = "cancelled";
  public static final String CHARGED = "charged";
  public static final String NOTIFIED = "notified";

  /** An engagement window covered a run (and took its credits from the ceiling). */
  public static final String USED = "used";

  /** A run's credits went back to its window, as its charge was refused. */
  public static final String RETURNED = "returned";
}
