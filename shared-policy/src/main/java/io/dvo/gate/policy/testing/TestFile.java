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

  /**
   * @param calendar the tenant calendar's facts at {@code at} (absent: no freeze, no holiday)
   */
  record TestCase(
      String name,
      Instant at,
      String zone,
      CalendarInput calendar,
      JsonNode input,
      Expectation expect) {}

  /**
   * {@code in_freeze}, {@code freeze_name} (the policy field {@code freeze.name}), {@code
   * is_holiday}.
   */
  record CalendarInput(Boolean inFreeze, String freezeName, Boolean isHoliday) {}

  /** Absent lists are not checked; {@code decision} and {@code matched_rules} always are. */
  record Expectation(
      PolicyOutcome decision,
      List<String> matchedRules,
      List<ExpectedReason> reasons,
      List<String> warnings,
      ExpectedApproval approval,
      List<String> overridden) {}

  record ExpectedReason(String ruleId, String message) {}

  record ExpectedApproval(List<ExpectedGroup> groups, Integer expiryHours) {}

  record ExpectedGroup(
      String ruleId, List<String> roles, List<String> users, Integer minApprovals) {}
}
