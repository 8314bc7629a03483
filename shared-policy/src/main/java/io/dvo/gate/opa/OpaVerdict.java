package io.dvo.gate.opa;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.opa.OpaUnavailableException.Failure;
import io.dvo.gate.policy.ActionParams;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What an OPA decision asks of the gate, read strictly from the decision's {@code result}:
 *
 * <ul>
 *   <li>{@code deny}: messages (strings); any one denies the run;
 *   <li>{@code require_approval}: objects {@code {roles, users, min_approvals, expiry_hours,
 *       reason}}; each adds an approver group;
 *   <li>{@code warn}: messages (strings), added to the decision's warnings.
 * </ul>
 *
 * <p>Each may be missing (a package that has no such rule), but the result must be an object with
 * at least one of them; other members (helper rules of the same package) are ignored. Anything else
 * — a non-object, a number where a message belongs, a typo such as {@code min_approval} — is {@link
 * Failure#WRONG_SHAPE}: the gate cannot tell what the policy wanted, so it cannot decide.
 *
 * @param raw OPA's result as it arrived, for {@code /evaluate?explain=true}
 */
public record OpaVerdict(
    List<String> denials, List<OpaApproval> approvals, List<String> warnings, JsonNode raw) {
  /** Most entries one list may hold. */
  public static final int MAX_ENTRIES = 100;

  /** Longest message or reason, in characters. */
  public static final int MAX_MESSAGE_LENGTH = 2048;

  /** Most approvals one approver group may require. */
  public static final int MAX_MIN_APPROVALS = 100;

  private static final Set<String> APPROVAL_KEYS =
      Set.of("roles", "users", "min_approvals", "expiry_hours", "reason");

  public OpaVerdict {
    denials = List.copyOf(denials);
    approvals = List.copyOf(approvals);
    warnings = List.copyOf(warnings);
  }

  /** True when OPA asked for nothing: no deny, no approval, no warning. */
  public boolean empty() {
    return denials.isEmpty() && approvals.isEmpty() && warnings.isEmpty();
  }

  /**
   * Reads OPA's {@code result}.
   *
   * @throws OpaUnavailableException WRONG_SHAPE, naming the first offending member
   */
  public static OpaVerdict parse(DecisionPath decision, JsonNode result) {
    if (result == null || !result.isObject()) {
      throw wrong(
          decision,
          "the result is " + kind(result) + ", not an object with deny, require_approval or warn");
    }
    if (!result.has("deny") && !result.has("require_approval") && !result.has("warn")) {
      throw wrong(
          decision,
          "the result has none of deny, require_approval, warn (does the decision path name the"
              + " policy's package?)");
    }
    List<String> denials = messages(decision, result.get("deny"), "deny");
    List<String> warnings = messages(decision, result.get("warn"), "warn");
    List<OpaApproval> approvals = new ArrayList<>();
    JsonNode required = result.get("require_approval");
    for (JsonNode entry : list(decision, required, "require_approval")) {
      approvals.add(approval(decision, entry, "require_approval[" + approvals.size() + "]"));
    }
    return new OpaVerdict(denials, approvals, warnings, result);
  }

  private static List<JsonNode> list(DecisionPath decision, JsonNode node, String path) {
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      throw wrong(decision, path + " is " + kind(node) + ", not a list (a Rego set or array)");
    }
    if (node.size() > MAX_ENTRIES) {
      throw wrong(decision, path + " has " + node.size() + " entries, more than " + MAX_ENTRIES);
    }
    List<JsonNode> entries = new ArrayList<>(node.size());
    node.forEach(entries::add);
    return entries;
  }

  private static List<String> messages(DecisionPath decision, JsonNode node, String path) {
    List<String> out = new ArrayList<>();
    for (JsonNode entry : list(decision, node, path)) {
      out.add(text(decision, entry, path + "[" + out.size() + "]"));
    }
    return out;
  }

  private static String text(DecisionPath decision, JsonNode node, String path) {
    if (node == null || !node.isTextual()) {
      throw wrong(decision, path + " is " + kind(node) + ", not a string");
    }
    String value = node.textValue();
    if (value.isBlank()) {
      throw wrong(decision, path + " is blank");
    }
    if (value.length() > MAX_MESSAGE_LENGTH) {
      throw wrong(decision, path + " is longer than " + MAX_MESSAGE_LENGTH + " characters");
    }
    return value;
  }

  private static OpaApproval approval(DecisionPath decision, JsonNode node, String path) {
    if (!node.isObject()) {
      throw wrong(
          decision,
          path
              + " is "
              + kind(node)
              + ", not an object {roles, users, min_approvals, expiry_hours, reason}");
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!APPROVAL_KEYS.contains(name)) {
        throw wrong(
            decision,
            path
                + "."
                + name
                + " is not a known member; expected roles, users, min_approvals, expiry_hours,"
                + " reason");
      }
    }
    List<String> roles = names(decision, node.get("roles"), path + ".roles");
    List<String> users = names(decision, node.get("users"), path + ".users");
    if (roles.isEmpty() && users.isEmpty()) {
      throw wrong(decision, path + " names no approvers: give roles or users");
    }
    int min =
        whole(
            decision, node.get("min_approvals"), path + ".min_approvals", 1, 1, MAX_MIN_APPROVALS);
    int expiry =
        whole(
            decision,
            node.get("expiry_hours"),
            path + ".expiry_hours",
            ActionParams.Approval.DEFAULT_EXPIRY_HOURS,
            1,
            ActionParams.Approval.MAX_EXPIRY_HOURS);
    if (node.get("reason") == null) {
      throw wrong(decision, path + ".reason is required (why approval is needed)");
    }
    String reason = text(decision, node.get("reason"), path + ".reason");
    return new OpaApproval(roles, users, min, expiry, reason);
  }

  private static List<String> names(DecisionPath decision, JsonNode node, String path) {
    List<String> out = new ArrayList<>();
    for (JsonNode entry : list(decision, node, path)) {
      String name = text(decision, entry, path + "[" + out.size() + "]");
      if (name.length() > 256) {
        throw wrong(decision, path + "[" + out.size() + "] is longer than 256 characters");
      }
      out.add(name);
    }
    return out;
  }

  private static int whole(
      DecisionPath decision, JsonNode node, String path, int absent, int min, int max) {
    if (node == null) {
      return absent;
    }
    if (!node.isNumber()
        || !Double.isFinite(node.doubleValue())
        || node.decimalValue().stripTrailingZeros().scale() > 0) {
      throw wrong(decision, path + " is " + kind(node) + ", not a whole number");
    }
    java.math.BigInteger value = node.decimalValue().toBigInteger();
    if (value.compareTo(java.math.BigInteger.valueOf(min)) < 0
        || value.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
      throw wrong(decision, path + " is " + value + ", not between " + min + " and " + max);
    }
    return value.intValueExact();
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number (" + node.asText() + ")";
      case BOOLEAN -> node.asText();
      case NULL -> "null";
      default -> "not JSON data";
    };
  }

  private static OpaUnavailableException wrong(DecisionPath decision, String what) {
    return new OpaUnavailableException(
        Failure.WRONG_SHAPE,
        "OPA decision " + decision + " answered a result the gate cannot read: " + what);
  }
}
