package io.dvo.gate.client;

import io.dvo.gate.approval.ApprovalRecord;

/**
 * One read of an approval: the record and its ETag, or {@code notModified} when the server answered
 * 304 to {@code If-None-Match} (then {@code record} is null: the caller's copy is current).
 */
public record ApprovalRead(ApprovalRecord record, String etag, boolean notModified) {}
