package io.dvo.gate.approval;

import io.dvo.gate.identity.Actor;
import java.time.Instant;

/**
 * One line of an approval's history: created, approved (a vote), rejected, expired, cancelled,
 * charged, notified, ... {@code actor} is null for the system (sweeps, timers).
 */
public record ApprovalEvent(Instant at, String type, Actor actor, String detail) {}
