package io.dvo.gate.policy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.policy.PolicyOutcome;
import java.time.Instant;
import java.util.List;

/**
 * A file of policy test cases ({@code <pack>/tests/*.yaml}). {@code pack}, when set, is a pack
 * directory relative to this file to test instead of the enclosing pack (fixtures for operators
 * stay out of the production pack); {@code zone} is the default time zone of its cases.
 */
record TestFile(String pack, String zone, List<TestCase> cases) {

  record TestCase(String name, Instant at, String zone, JsonNode input, Expectation expect) {}

  /** Absent lists are not checked; {@code decision} and {@code matched_rules} always are. */
  record Expectation(
      PolicyOutcome decision,
      List<String> matchedRules,
      List<ExpectedReason> reasons,
      List<String> warnings,
      ExpectedApproval approval) {}

  record ExpectedReason(String ruleId, String message) {}

  record ExpectedApproval(List<ExpectedGroup> groups, Integer expiryHours) {}

  record ExpectedGroup(
      String ruleId, List<String> roles, List<String> users, Integer minApprovals) {}
}
