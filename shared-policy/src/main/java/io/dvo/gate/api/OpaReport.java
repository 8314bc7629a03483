package io.dvo.gate.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * OPA's part in a decision, as {@code /evaluate?explain=true} shows it.
 *
 * @param decision the decision path asked, e.g. {@code dvo/gate}
 * @param result OPA's {@code result} as it arrived; null when the gate went on without OPA
 * @param failedOpen why the gate decided without OPA (the tenant's {@code fail_open_for}), or null
 */
public record OpaReport(String decision, JsonNode result, String failedOpen) {}
