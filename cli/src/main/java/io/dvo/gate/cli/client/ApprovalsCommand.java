package io.dvo.gate.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.client.GateClientException;
import io.dvo.gate.json.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dvo-gate approvals list|show|approve|reject|cancel|window}: approval requests for
 * operators (and engagement windows for testers' pipelines), with the same sign-in as {@code gate}
 * ({@code DVO_GATE_API_KEY}). Exit 0 on success, 20 when the gate refused or could not answer (its
 * problem detail is printed), 2 on usage errors.
 */
@Command(
    name = "approvals",
    mixinStandardHelpOptions = true,
    description = "List, read and decide approval requests.",
    subcommands = {
      ApprovalsCommand.ListApprovals.class,
      ApprovalsCommand.Show.class,
      ApprovalsCommand.Approve.class,
      ApprovalsCommand.Reject.class,
      ApprovalsCommand.Cancel.class,
      ApprovalsCommand.Window.class
    })
public final class ApprovalsCommand implements Runnable {
  /** Jackson only when a command runs: {@code --help} must start fast. */
  static final class Mapper {
    static final ObjectMapper JSON = Json.mapper();

    private Mapper() {}
  }

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand (list, show, approve, reject, cancel, window)");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Newest first.")
  static final class ListApprovals implements Callable<Integer> {
    @Mixin ClientOptions gate;
    @Spec CommandSpec spec;

    @Option(names = "--status", description = "pending, approved, rejected, expired, cancelled")
    String status;

    @Option(names = "--environment")
    String environment;

    @Option(names = "--agent")
    String agent;

    @Option(names = "--limit", description = "At most this many (the gate's page size).")
    Integer limit;

    @Option(names = "--json", description = "Print the gate's page as JSON.")
    boolean json;

    @Override
    public Integer call() throws GateClientException {
      Map<String, String> filters = new LinkedHashMap<>();
      filters.put("status", status);
      filters.put("environment", environment);
      filters.put("agent_id", agent);
      filters.put("limit", limit == null ? null : String.valueOf(limit));
      JsonNode page = gate.client().listApprovals(gate.tenant(), filters);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(page.toString());
      } else {
        JsonNode items = page.path("items");
        if (items.isEmpty()) {
          out.println("No approval requests.");
        }
        for (JsonNode a : items) {
          out.println(line(a));
        }
        if (page.hasNonNull("continuation")) {
          out.println("(more: the gate has further pages)");
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One approval request.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions gate;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--json", description = "Print the approval as JSON.")
    boolean json;

    @Override
    public Integer call() throws GateClientException {
      ApprovalRecord r = gate.client().approval(gate.tenant(), id, 0);
      print(spec, r, json);
      return 0;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Vote to approve.")
  static final class Approve implements Callable<Integer> {
    @Mixin ClientOptions gate;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--comment")
    String comment;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() throws GateClientException {
      print(spec, gate.client().approve(gate.tenant(), id, comment), json);
      return 0;
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject, with a reason.")
  static final class Reject implements Callable<Integer> {
    @Mixin ClientOptions gate;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--reason", required = true, description = "Why (shown to the pipeline).")
    String reason;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() throws GateClientException {
      print(spec, gate.client().reject(gate.tenant(), id, reason), json);
      return 0;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Withdraw a pending request (the requesting pipeline, or an admin).")
  static final class Cancel implements Callable<Integer> {
    @Mixin ClientOptions gate;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--reason", defaultValue = "cancelled with dvo-gate approvals cancel")
    String reason;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() throws GateClientException {
      print(spec, gate.client().cancel(gate.tenant(), id, reason), json);
      return 0;
    }
  }

  @Command(
      name = "window",
      mixinStandardHelpOptions = true,
      description =
          "Ask once for an engagement window: the engagement's runs inside its time, scope, risk"
              + " tier and credit ceiling then need no approval of their own.")
  static final class Window implements Callable<Integer> {
    @Mixin ClientOptions gate;
    @Spec CommandSpec spec;

    @Option(names = "--engagement", required = true)
    String engagement;

    @Option(names = "--reason", required = true, description = "What the window is for.")
    String reason;

    @Option(names = "--environment", required = true)
    String environment;

    @Option(names = "--agent", description = "Only this agent's runs (default: every agent).")
    String agent;

    @Option(names = "--from", required = true, description = "Start, e.g. 2026-12-03T08:00:00Z.")
    String from;

    @Option(names = "--until", required = true, description = "End (at most 31 days later).")
    String until;

    @Option(names = "--host", description = "A host of the scope (exact or *.suffix); repeat.")
    java.util.List<String> hosts = new java.util.ArrayList<>();

    @Option(names = "--cidr", description = "An IP range of the scope; repeat.")
    java.util.List<String> cidrs = new java.util.ArrayList<>();

    @Option(names = "--url-prefix", description = "A URL prefix of the scope; repeat.")
    java.util.List<String> urlPrefixes = new java.util.ArrayList<>();

    @Option(names = "--risk-tier", required = true, description = "passive, active or intrusive")
    String riskTier;

    @Option(names = "--ceiling", description = "The most credits the covered runs take in all.")
    Long ceiling;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() throws GateClientException {
      Map<String, Object> scope = new LinkedHashMap<>();
      scope.put("hosts", hosts);
      scope.put("cidrs", cidrs);
      scope.put("url_prefixes", urlPrefixes);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("engagement_id", engagement);
      body.put("reason", reason);
      body.put("environment", environment);
      if (agent != null) {
        body.put("agent_id", agent);
      }
      body.put("starts_at", from);
      body.put("ends_at", until);
      body.put("scope", scope);
      body.put("risk_tier", riskTier);
      if (ceiling != null) {
        body.put("credit_ceiling", ceiling);
      }
      print(spec, gate.client().openWindow(gate.tenant(), body), json);
      return 0;
    }
  }

  static void print(CommandSpec spec, ApprovalRecord r, boolean json) {
    PrintWriter out = spec.commandLine().getOut();
    JsonNode node = Mapper.JSON.valueToTree(r);
    if (json) {
      out.println(node.toString());
    } else {
      out.println(line(node));
      JsonNode w = node.path("window");
      if (w.isObject()) {
        out.println(
            "  engagement window "
                + text(w.path("engagement_id"))
                + " from "
                + text(w.path("starts_at"))
                + " until "
                + text(w.path("ends_at"))
                + (w.hasNonNull("credit_ceiling")
                    ? ", "
                        + w.path("credits_used").asLong()
                        + " of "
                        + w.path("credit_ceiling").asLong()
                        + " credits used"
                    : ""));
      }
      for (JsonNode g : node.path("groups")) {
        out.println("  needs " + g.path("min_approvals").asInt(1) + " of " + g.path("roles"));
      }
      for (JsonNode v : node.path("votes")) {
        out.println(
            "  "
                + v.path("kind").asText().toLowerCase(java.util.Locale.ROOT)
                + " by "
                + text(v.path("voter").path("id"))
                + (v.hasNonNull("comment") ? ": " + v.path("comment").asText() : ""));
      }
      if (node.hasNonNull("status_reason")) {
        out.println("  reason: " + node.path("status_reason").asText());
      }
    }
    out.flush();
  }

  /** {@code id status environment agent requester expires}. */
  static String line(JsonNode a) {
    return String.join(
        "  ",
        text(a.path("id")),
        text(a.path("status")).toLowerCase(java.util.Locale.ROOT),
        text(a.path("environment")),
        text(a.path("agent_id")),
        "by " + text(a.path("requester").path("id")),
        "expires " + text(a.path("expires_at")));
  }

  static String text(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? "-" : n.asText();
  }
}
