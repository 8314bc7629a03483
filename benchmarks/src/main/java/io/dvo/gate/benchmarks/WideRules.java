package io.dvo.gate.benchmarks;

import com.cedarpolicy.model.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Generated rule sets where the scope index cannot help: every rule is in scope (environment {@code
 * production}, no agent scope), so the engine has to look at all of them. Rule {@code i}:
 *
 * <ul>
 *   <li>a selective condition on {@code config.team}: {@code equals "team-<i % 100>"} (even {@code
 *       i}) or {@code in} a list of 20 teams {@code team-<(i % 100) * 20 + k>} (odd {@code i}); the
 *       request's team is {@code team-0}, so only rules with {@code i % 100 == 0} hold here — 1%;
 *   <li>{@code config.replicas greater_than <i % 5>} (the request has 10: always true);
 *   <li>every third rule also {@code config.branch matches "release/.*"} (the request's branch is
 *       {@code release/42}: true).
 * </ul>
 *
 * The conditions are listed in the order written above in half the rules, and reversed in the other
 * half, so an engine that only evaluates conditions in the written order cannot rely on the
 * selective one coming first. Actions: matching rules cycle approval, warn, audit_only; the others
 * cycle deny, approval, warn, audit_only (a deny that matched would end evaluation early and hide
 * the cost of the rest).
 */
final class WideRules {
  static final String TEAM = "team-0";
  static final long REPLICAS = 10;
  static final String BRANCH = "release/42";

  private WideRules() {}

  static boolean matches(int i) {
    return i % 100 == 0;
  }

  static String action(int i) {
    if (matches(i)) {
      return switch ((i / 100) % 3) {
        case 0 -> "require_approval";
        case 1 -> "warn";
        default -> "audit_only";
      };
    }
    return switch (i % 4) {
      case 0 -> "deny";
      case 1 -> "require_approval";
      case 2 -> "warn";
      default -> "audit_only";
    };
  }

  private static String teams(int i, String quote, String separator) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < 20; k++) {
      if (k > 0) {
        out.append(separator);
      }
      out.append(quote).append("team-").append((i % 100) * 20 + k).append(quote);
    }
    return out.toString();
  }

  /** Rules {@code from} (inclusive) to {@code to} (exclusive) as one policy-pack YAML file. */
  static String yaml(int from, int to) {
    StringBuilder out = new StringBuilder((to - from) * 400).append("rules:\n");
    for (int i = from; i < to; i++) {
      String selective =
          i % 2 == 0
              ? "      - field: config.team\n        operator: equals\n        value: team-"
                  + (i % 100)
                  + "\n"
              : "      - field: config.team\n        operator: in\n        value: ["
                  + teams(i, "", ", ")
                  + "]\n";
      String replicas =
          "      - field: config.replicas\n        operator: greater_than\n        value: "
              + (i % 5)
              + "\n";
      String branch =
          i % 3 == 0
              ? "      - field: config.branch\n        operator: matches\n        value: \"release/.*\"\n"
              : "";
      String conditions =
          (i / 2) % 2 == 0 ? selective + replicas + branch : branch + replicas + selective;
      String action = action(i);
      String params =
          switch (action) {
            case "deny" -> "    action_params:\n      reason: rule " + i + "\n";
            case "require_approval" ->
                "    action_params:\n      required_roles: [release_manager]\n"
                    + "      min_approvals: 1\n      expiry_hours: 24\n      reason: rule "
                    + i
                    + "\n";
            case "warn" -> "    action_params:\n      message: rule " + i + "\n";
            default -> "";
          };
      out.append("  - id: wide-")
          .append(i)
          .append("\n    name: wide ")
          .append(i)
          .append("\n    priority: ")
          .append(100 + i % 7)
          .append("\n    environments: [production]\n    conditions:\n")
          .append(conditions)
          .append("    action: ")
          .append(action)
          .append('\n')
          .append(params);
    }
    return out.toString();
  }

  /**
   * A pack directory holding the generated rules, 1,000 per file (the loader refuses a YAML
   * document over 3 MB, and a real pack of this size would be split by team anyway).
   */
  static Path writePack(int count) throws IOException {
    Path dir = Files.createTempDirectory("wide-" + count + "-");
    dir.toFile().deleteOnExit();
    for (int from = 0; from < count; from += 1000) {
      Path file = dir.resolve(String.format("wide-%05d.yaml", from));
      Files.writeString(file, yaml(from, Math.min(count, from + 1000)));
      file.toFile().deleteOnExit();
    }
    return dir;
  }

  /** The same rules for cedar-java: deny is {@code forbid}, everything else {@code permit}. */
  static Set<Policy> cedar(int count) {
    Set<Policy> policies = new HashSet<>();
    for (int i = 0; i < count; i++) {
      String effect = action(i).equals("deny") ? "forbid" : "permit";
      String selective =
          i % 2 == 0
              ? "context.config.team == \"team-" + (i % 100) + "\""
              : "[" + teams(i, "\"", ", ") + "].contains(context.config.team)";
      String when =
          "context.environment == \"production\" && "
              + selective
              + " && context.config.replicas > "
              + (i % 5)
              + (i % 3 == 0 ? " && context.config.branch like \"release/*\"" : "");
      policies.add(
          new Policy(effect + "(principal, action, resource) when { " + when + " };", "wide-" + i));
    }
    return policies;
  }

  static Set<String> expectedMatches(int count) {
    Set<String> ids = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      if (matches(i)) {
        ids.add("wide-" + i);
      }
    }
    return ids;
  }

  static Map<String, Object> config() {
    return Map.of("team", TEAM, "replicas", REPLICAS, "branch", BRANCH, "staging_validated", true);
  }
}
