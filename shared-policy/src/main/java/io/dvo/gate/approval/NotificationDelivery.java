package io.dvo.gate.approval;

import java.time.Instant;

/**
 * Whether a notification reached its channel. {@code channel} names the route (e.g. "teams:prod"),
 * never the secret webhook URL.
 *
 * @param kind requested, reminder, approved, rejected, expired, cancelled
 * @param state delivered, failed, pending
 */
public record NotificationDelivery(
    String channel, String kind, String state, int attempts, Instant at, String error) {}
