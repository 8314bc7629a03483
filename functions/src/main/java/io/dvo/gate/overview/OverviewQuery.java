package io.dvo.gate.overview;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.input.Checked;
import io.dvo.gate.request.GateRequestParser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The overview's query parameters, validated: a stable URL names exactly one view. Unknown
 * parameters and malformed values are refused (never ignored or coerced), so a typo is seen.
 *
 * @param tenant null when not given (the viewer's only tenant is then used)
 * @param environment filter, or null
 * @param agentId filter, or null
 * @param status filter, or null
 * @param waitingPage 1-based page of "Waiting for me"; likewise the others
 */
public record OverviewQuery(
    String tenant,
    String environment,
    String agentId,
    ApprovalStatus status,
    int waitingPage,
    int minePage,
    int decidedPage) {

  /** The highest page number accepted. */
  static final int MAX_PAGE = 1000;

  static final Set<String> NAMES =
      Set.of(
          "tenant",
          "environment",
          "agent_id",
          "status",
          "waiting_page",
          "mine_page",
          "decided_page");

  /** The parsed query, or every refused parameter (its name as the problem's path). */
  public static Checked<OverviewQuery, FieldError> parse(Map<String, String> params) {
    List<FieldError> problems = new ArrayList<>();
    for (String name : params.keySet()) {
      if (!NAMES.contains(name)) {
        problems.add(
            new FieldError(
                name,
                "is not a parameter of this page; it takes "
                    + String.join(", ", NAMES.stream().sorted().toList())));
      }
    }
    String tenant = text(params, "tenant");
    if (tenant != null && !GateRequestParser.isTenantId(tenant)) {
      problems.add(
          new FieldError("tenant", "must be a tenant id (letters, digits, '.', '_', '-')"));
    }
    String environment = text(params, "environment");
    if (environment != null && !GateRequestParser.isEnvironment(environment)) {
      problems.add(
          new FieldError(
              "environment", "must be an environment name (letters, digits, '.', '_', '-')"));
    }
    String agent = text(params, "agent_id");
    if (agent != null && !GateRequestParser.isAgentId(agent)) {
      problems.add(
          new FieldError(
              "agent_id", "must be an agent id (letters, digits, '.', '_', ':', '/', '@', '-')"));
    }
    ApprovalStatus status = null;
    String statusText = text(params, "status");
    if (statusText != null) {
      try {
        status = ApprovalStatus.fromWire(statusText);
      } catch (IllegalArgumentException e) {
        problems.add(
            new FieldError(
                "status", "must be one of pending, approved, rejected, expired, cancelled"));
      }
    }
    int waiting = page(params, "waiting_page", problems);
    int mine = page(params, "mine_page", problems);
    int decided = page(params, "decided_page", problems);
    return problems.isEmpty()
        ? Checked.valid(
            new OverviewQuery(tenant, environment, agent, status, waiting, mine, decided))
        : Checked.invalid(problems);
  }

  private static String text(Map<String, String> params, String name) {
    String value = params.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static int page(Map<String, String> params, String name, List<FieldError> problems) {
    String value = text(params, name);
    if (value == null) {
      return 1;
    }
    if (value.matches("[0-9]{1,4}")) {
      int page = Integer.parseInt(value);
      if (page >= 1 && page <= MAX_PAGE) {
        return page;
      }
    }
    problems.add(new FieldError(name, "must be a page number from 1 to " + MAX_PAGE));
    return 1;
  }

  /** This query for {@code tenant}, with one page number changed, as a link ("/?tenant=..."). */
  public String link(String tenantId, String pageParameter, int page) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("tenant", tenantId);
    put(params, "environment", environment);
    put(params, "agent_id", agentId);
    put(params, "status", status == null ? null : status.wireName());
    int w = "waiting_page".equals(pageParameter) ? page : waitingPage;
    int m = "mine_page".equals(pageParameter) ? page : minePage;
    int d = "decided_page".equals(pageParameter) ? page : decidedPage;
    if (w > 1) {
      params.put("waiting_page", String.valueOf(w));
    }
    if (m > 1) {
      params.put("mine_page", String.valueOf(m));
    }
    if (d > 1) {
      params.put("decided_page", String.valueOf(d));
    }
    StringBuilder link = new StringBuilder("/");
    char sep = '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      link.append(sep)
          .append(e.getKey())
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    return link.toString();
  }

  private static void put(Map<String, String> params, String name, String value) {
    if (value != null) {
      params.put(name, value);
    }
  }
}
