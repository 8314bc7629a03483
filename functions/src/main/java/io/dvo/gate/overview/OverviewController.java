package io.dvo.gate.overview;

import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Page;
import io.dvo.gate.api.Roles;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.ApproverMatching;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.input.Checked;
import io.dvo.gate.pages.Pages;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.RecordedCharge;
import io.dvo.gate.quota.UsagePeriod;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.review.ReviewResponse;
import io.dvo.gate.service.ApprovalService;
import io.dvo.gate.service.LinkBuilder;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.view.ApprovalFacts;
import io.dvo.gate.view.Fact;
import io.dvo.gate.view.MessageView;
import io.dvo.gate.view.Wording;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The overview page ({@code GET /}): what waits for the viewer, their own requests, recent
 * decisions, and for tenant admins usage against budget and recent gate decisions. It only reads.
 * Lists are built from the newest {@link #SCAN_LIMIT} approvals matching the filters (the page says
 * so when there are more), so one page view costs a bounded number of store reads.
 */
public final class OverviewController {
  /** Items per list page. */
  static final int PAGE_SIZE = 10;

  /** The most approvals one page view reads (five store pages). */
  static final int SCAN_LIMIT = 5 * ApprovalQuery.MAX_LIMIT;

  private static final int RECENT = 15;

  private final ApprovalService approvals;
  private final QuotaStore quotas;
  private final LinkBuilder links;
  private final ZoneId zone;
  private final Clock clock;

  /**
   * @param links the review links (relative ones are fine: the page links within this site)
   */
  public OverviewController(
      ApprovalService approvals, QuotaStore quotas, LinkBuilder links, ZoneId zone, Clock clock) {
    this.approvals = approvals;
    this.quotas = quotas;
    this.links = links;
    this.zone = zone;
    this.clock = clock;
  }

  public ReviewResponse show(Principal viewer, Map<String, String> params) {
    Checked<OverviewQuery, FieldError> parsed = OverviewQuery.parse(params);
    String label = label(viewer);
    if (!parsed.ok()) {
      return message(
          400,
          "Not a valid overview address",
          parsed.problems().stream()
                  .map(p -> p.path() + " " + p.message())
                  .collect(Collectors.joining("; "))
              + ". Nothing was looked up.",
          label);
    }
    OverviewQuery q = parsed.value();
    String tenant = q.tenant() != null ? q.tenant() : onlyTenant(viewer);
    if (tenant == null) {
      return new ReviewResponse(
          200,
          Pages.render(
              "overview/choose.jte",
              new ChooseTenantView(
                  label,
                  tenants(viewer).stream()
                      .map(t -> new Fact(t, "/?tenant=" + encode(t)))
                      .toList())));
    }
    if (!viewer.mayActFor(tenant)) {
      return message(
          403,
          "No access",
          "You are signed in as "
              + viewer.asActor().label()
              + ", who may not act for tenant "
              + tenant
              + ". Ask an administrator to grant you access to this tenant.",
          label);
    }
    Instant now = clock.instant();
    Scan scan = scan(tenant, q);
    List<ApprovalRecord> waiting =
        scan.records().stream()
            .filter(r -> r.status() == ApprovalStatus.PENDING)
            .filter(r -> approvals.whyCannotDecide(r, viewer, now).isEmpty())
            .sorted(Comparator.comparing(ApprovalRecord::expiresAt))
            .toList();
    List<ApprovalRecord> mine = scan.records().stream().filter(r -> isOwn(r, viewer)).toList();
    List<ApprovalRecord> decided =
        scan.records().stream()
            .filter(r -> r.status().isTerminal())
            .sorted(
                Comparator.comparing(
                        (ApprovalRecord r) ->
                            r.resolvedAt() == null ? r.createdAt() : r.resolvedAt())
                    .reversed())
            .toList();
    OverviewView view =
        new OverviewView(
            label,
            tenant,
            new OverviewView.Filters(
                q.environment(),
                q.agentId(),
                q.status() == null ? "" : q.status().wireName(),
                Arrays.stream(ApprovalStatus.values()).map(ApprovalStatus::wireName).toList()),
            section(
                "waiting",
                "Waiting for me",
                "Nothing waits for your decision.",
                waiting,
                q,
                tenant,
                "waiting_page",
                q.waitingPage(),
                r -> waitingItem(r, now)),
            section(
                "mine",
                "My requests",
                "No request of yours (as requester or initiator) matches.",
                mine,
                q,
                tenant,
                "mine_page",
                q.minePage(),
                r -> mineItem(r, now)),
            section(
                "decided",
                "Recently decided",
                "No decided request matches.",
                decided,
                q,
                tenant,
                "decided_page",
                q.decidedPage(),
                r -> decidedItem(r, now)),
            scan.more()
                ? "These lists cover the newest "
                    + String.format(java.util.Locale.ROOT, "%,d", SCAN_LIMIT)
                    + " requests matching the filters; narrow the filters to reach older ones."
                : null,
            isTenantAdmin(viewer) ? admin(tenant, scan.records(), now) : null,
            freeze(tenant, now),
            emergencies(scan.records(), now));
    return new ReviewResponse(200, Pages.render("overview/overview.jte", view));
  }

  /** The most break-glass requests the overview lists. */
  static final int MAX_EMERGENCIES = 20;

  /** Break-glass requests among the scanned ones, newest first: listed for review afterwards. */
  private OverviewView.Section emergencies(List<ApprovalRecord> records, Instant now) {
    List<OverviewView.Item> items =
        records.stream()
            .filter(ApprovalRecord::breakGlassApproval)
            .limit(MAX_EMERGENCIES)
            .map(r -> emergencyItem(r, now))
            .toList();
    return new OverviewView.Section(
        "emergencies",
        "Emergency changes (break-glass), for review",
        "No break-glass request matches.",
        items,
        null,
        null,
        null);
  }

  private OverviewView.Item emergencyItem(ApprovalRecord r, Instant now) {
    ApprovalFacts f = ApprovalFacts.of(r, now, zone);
    ApprovalFacts.Emergency e = f.emergency();
    return item(
        r,
        f,
        "ticket "
            + e.ticket()
            + "; overrides "
            + String.join(", ", e.overrides().stream().map(Fact::label).toList())
            + "; "
            + f.actor(),
        "Requested " + f.createdAt(),
        e.reason());
  }

  /** The tenant's current or next freeze in words, in the tenant's zone. */
  private String freeze(String tenant, Instant now) {
    Optional<io.dvo.gate.calendar.TenantCalendar> calendar =
        quotas.calendar(tenant).map(Versioned::value);
    if (calendar.isEmpty()) {
      return "No freeze is planned (the tenant has no calendar).";
    }
    ZoneId tenantZone = calendar.get().zoneOr(zone);
    return calendar
        .get()
        .nextFreeze(now, tenantZone)
        .map(
            o ->
                (o.start().isAfter(now) ? "Next freeze: " : "In a freeze now: ")
                    + o.name()
                    + ", "
                    + Wording.when(o.start(), tenantZone)
                    + " to "
                    + Wording.when(o.end(), tenantZone)
                    + ".")
        .orElse("No freeze is planned.");
  }

  /** The tenant picker's model. */
  public record ChooseTenantView(String viewer, List<Fact> tenants) {}

  private record Scan(List<ApprovalRecord> records, boolean more) {}

  private Scan scan(String tenant, OverviewQuery q) {
    List<ApprovalRecord> records = new ArrayList<>();
    String continuation = null;
    do {
      Page<Versioned<ApprovalRecord>> page =
          approvals.list(
              tenant,
              new ApprovalQuery(q.status(), q.environment(), q.agentId(), ApprovalQuery.MAX_LIMIT),
              continuation);
      page.items().forEach(v -> records.add(v.value()));
      continuation = page.continuation();
    } while (continuation != null && records.size() < SCAN_LIMIT);
    return new Scan(records, continuation != null);
  }

  private OverviewView.Section section(
      String id,
      String heading,
      String empty,
      List<ApprovalRecord> records,
      OverviewQuery q,
      String tenant,
      String pageParameter,
      int page,
      java.util.function.Function<ApprovalRecord, OverviewView.Item> item) {
    int pages = Math.max(1, (records.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int shown = Math.min(page, pages);
    int from = (shown - 1) * PAGE_SIZE;
    List<OverviewView.Item> items =
        records.subList(from, Math.min(records.size(), from + PAGE_SIZE)).stream()
            .map(item)
            .toList();
    return new OverviewView.Section(
        id,
        heading + " (" + records.size() + ")",
        empty,
        items,
        shown > 1 ? q.link(tenant, pageParameter, shown - 1) + "#" + id : null,
        shown < pages ? q.link(tenant, pageParameter, shown + 1) + "#" + id : null,
        pages > 1 ? "Page " + shown + " of " + pages : null);
  }

  private OverviewView.Item waitingItem(ApprovalRecord r, Instant now) {
    ApprovalFacts f = ApprovalFacts.of(r, now, zone);
    String needs = String.join("; ", ApproverMatching.missing(r.groups(), r.votes()));
    return item(
        r,
        f,
        f.actor()
            + (f.estimate() == null ? "" : "; " + f.estimateText())
            + (needs.isEmpty() ? "" : "; needs " + needs),
        "Expires " + Wording.untilWithLeft(now, r.expiresAt(), zone),
        null);
  }

  private OverviewView.Item mineItem(ApprovalRecord r, Instant now) {
    ApprovalFacts f = ApprovalFacts.of(r, now, zone);
    return item(
        r,
        f,
        f.actor() + (f.estimate() == null ? "" : "; " + f.estimateText()),
        r.status() == ApprovalStatus.PENDING
            ? "Expires " + Wording.untilWithLeft(now, r.expiresAt(), zone)
            : "Requested "
                + f.createdAt()
                + (f.resolvedAt() == null ? "" : ", closed " + f.resolvedAt()),
        comment(r));
  }

  private OverviewView.Item decidedItem(ApprovalRecord r, Instant now) {
    ApprovalFacts f = ApprovalFacts.of(r, now, zone);
    List<String> approvedBy = new ArrayList<>();
    List<String> rejectedBy = new ArrayList<>();
    for (Vote vote : r.votes()) {
      (vote.kind() == VoteKind.APPROVE ? approvedBy : rejectedBy).add(vote.voter().label());
    }
    String who =
        !rejectedBy.isEmpty()
            ? "rejected by " + String.join(", ", rejectedBy)
            : !approvedBy.isEmpty()
                ? "approved by " + String.join(", ", approvedBy)
                : r.statusReason() == null ? "no votes" : r.statusReason();
    return item(
        r,
        f,
        f.actor() + "; " + who,
        "Decided " + (f.resolvedAt() == null ? "-" : f.resolvedAt()),
        comment(r));
  }

  private OverviewView.Item item(
      ApprovalRecord r, ApprovalFacts f, String context, String when, String comment) {
    return new OverviewView.Item(
        f.title(),
        links.reviewUrl(r.tenantId(), r.id()),
        r.status().wireName(),
        Wording.capitalise(r.status().wireName()),
        context,
        when,
        comment);
  }

  /** The deciding words: the last vote's comment, else the status reason. */
  private static String comment(ApprovalRecord r) {
    for (int i = r.votes().size() - 1; i >= 0; i--) {
      String comment = r.votes().get(i).comment();
      if (!comment.isBlank()) {
        return comment;
      }
    }
    return r.status() == ApprovalStatus.CANCELLED || r.status() == ApprovalStatus.EXPIRED
        ? r.statusReason()
        : null;
  }

  private OverviewView.Admin admin(String tenant, List<ApprovalRecord> records, Instant now) {
    String period = UsagePeriod.of(now);
    UsageSnapshot usage = quotas.usage(tenant, period);
    Optional<QuotaSettings> settings = quotas.settings(tenant).map(Versioned::value);
    List<Fact> facts = new ArrayList<>();
    if (settings.isPresent()) {
      long budget = settings.get().monthlyBudget();
      facts.add(
          new Fact(
              "Used in " + period,
              Wording.credits(usage.used())
                  + " of "
                  + Wording.credits(budget)
                  + (budget == 0 ? "" : " (" + (usage.used() * 100 / budget) + " %)")));
      facts.add(new Fact("Left", Wording.credits(Math.max(0, budget - usage.used()))));
      if (settings.get().perPlanCap() != null) {
        facts.add(new Fact("Per-run cap", Wording.credits(settings.get().perPlanCap())));
      }
    } else {
      facts.add(new Fact("Used in " + period, Wording.credits(usage.used())));
      facts.add(new Fact("Budget", "none set: runs are refused or allowed as DVO_NO_QUOTA says"));
    }
    facts.add(new Fact("Charges", String.format(java.util.Locale.ROOT, "%,d", usage.charges())));
    TreeSet<String> engagementIds = new TreeSet<>(usage.engagementUsed().keySet());
    settings.ifPresent(s -> engagementIds.addAll(s.engagementCaps().keySet()));
    List<OverviewView.EngagementLine> engagements = new ArrayList<>();
    for (String engagement : engagementIds) {
      long used = usage.usedByEngagement(engagement);
      Long cap = settings.map(s -> s.engagementCaps().get(engagement)).orElse(null);
      engagements.add(
          new OverviewView.EngagementLine(
              engagement,
              Wording.credits(used),
              cap == null ? "none" : Wording.credits(cap),
              cap == null ? "-" : Wording.credits(Math.max(0, cap - used))));
    }
    List<RecordedCharge> charges = quotas.charges(tenant, period, QuotaStore.MAX_LISTED_CHARGES);
    return new OverviewView.Admin(
        period,
        facts,
        engagements,
        UsageChart.of(period, charges, usage.charges() > charges.size(), now),
        recent(records, charges),
        "There is no audit trail yet: this list is assembled from approvals (requested and"
            + " decided) and charges. Runs allowed without a charge and denials are not listed.",
        ApiPaths.full(ApiPaths.expand(ApiPaths.QUOTA_USAGE, encode(tenant))));
  }

  /** The newest approvals and charges as one timeline. */
  private List<String> recent(List<ApprovalRecord> records, List<RecordedCharge> charges) {
    record Event(Instant at, String text) {}
    List<Event> events = new ArrayList<>();
    for (RecordedCharge c : charges.subList(0, Math.min(RECENT, charges.size()))) {
      events.add(
          new Event(
              c.chargedAt(),
              "charged "
                  + Wording.credits(c.amount())
                  + " for "
                  + c.idempotencyKey()
                  + (c.engagementId() == null ? "" : " (engagement " + c.engagementId() + ")")));
    }
    for (ApprovalRecord r : records.subList(0, Math.min(RECENT, records.size()))) {
      String title = "Run " + Wording.dash(r.agentId()) + " in " + Wording.dash(r.environment());
      events.add(new Event(r.createdAt(), "approval needed: " + title + " (" + r.id() + ")"));
      if (r.resolvedAt() != null) {
        events.add(
            new Event(r.resolvedAt(), r.status().wireName() + ": " + title + " (" + r.id() + ")"));
      }
    }
    return events.stream()
        .sorted(Comparator.comparing(Event::at).reversed())
        .limit(RECENT)
        .map(e -> Wording.when(e.at(), zone) + ": " + e.text())
        .toList();
  }

  private static boolean isOwn(ApprovalRecord r, Principal viewer) {
    return ApproverMatching.samePerson(r.requester(), viewer.asActor())
        || (r.initiator() != null
            && ApproverMatching.samePerson(r.initiator().asActor(), viewer.asActor()));
  }

  private static boolean isTenantAdmin(Principal viewer) {
    return viewer.hasRole(Roles.ADMIN) || viewer.hasRole(Roles.TENANT_ADMIN);
  }

  /** The viewer's one tenant, or null when they have several or all. */
  private static String onlyTenant(Principal viewer) {
    List<String> tenants = tenants(viewer);
    return tenants.size() == 1 && !viewer.tenants().contains(Principal.ALL_TENANTS)
        ? tenants.get(0)
        : null;
  }

  private static List<String> tenants(Principal viewer) {
    return viewer.tenants().stream()
        .filter(t -> !t.equals(Principal.ALL_TENANTS))
        .sorted()
        .toList();
  }

  private ReviewResponse message(int status, String title, String text, String viewer) {
    return new ReviewResponse(
        status,
        Pages.render(
            "message.jte", new MessageView(title, text, true, "/", viewer, "Open the overview")));
  }

  /** The page for a request without a signed-in user. */
  public ReviewResponse signInRequired(String detail) {
    return new ReviewResponse(
        401,
        Pages.render(
            "message.jte",
            new MessageView(
                "Sign-in required",
                detail
                    + " Sign in to the gate with your organisation account, then open this page again.",
                true,
                null,
                null,
                null)));
  }

  /** A refusal raised before the page logic ran (bad query encoding, ...). */
  public ReviewResponse problem(int status, String detail) {
    return new ReviewResponse(
        status,
        Pages.render(
            "message.jte",
            new MessageView("Request not accepted", detail, true, "/", null, "Open the overview")));
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  private static String label(Principal viewer) {
    return viewer.email().isBlank() ? viewer.asActor().label() : viewer.email();
  }

  /** Per-day bars, computed here so the template only draws. */
  static final class UsageChart {
    static final int WIDTH = 620;
    static final int HEIGHT = 120;

    private UsageChart() {}

    static OverviewView.Chart of(
        String period, List<RecordedCharge> charges, boolean truncated, Instant now) {
      YearMonth month = YearMonth.parse(period);
      int days = month.lengthOfMonth();
      long[] perDay = new long[days + 1];
      for (RecordedCharge c : charges) {
        int day = c.chargedAt().atZone(ZoneOffset.UTC).getDayOfMonth();
        perDay[day] += c.amount();
      }
      long max = 1;
      for (long v : perDay) {
        max = Math.max(max, v);
      }
      int today = now.atZone(ZoneOffset.UTC).getDayOfMonth();
      int slot = WIDTH / days;
      List<OverviewView.Bar> bars = new ArrayList<>();
      TreeMap<Integer, Long> used = new TreeMap<>();
      for (int day = 1; day <= days; day++) {
        int h = perDay[day] == 0 ? 0 : (int) Math.max(2, perDay[day] * (HEIGHT - 20) / max);
        bars.add(
            new OverviewView.Bar(
                (day - 1) * slot + 1,
                HEIGHT - 14 - h,
                Math.max(1, slot - 2),
                h,
                month.atDay(day) + ": " + Wording.credits(perDay[day]),
                day == today));
        if (perDay[day] > 0) {
          used.put(day, perDay[day]);
        }
      }
      List<Fact> table = new ArrayList<>();
      used.forEach(
          (day, v) -> table.add(new Fact(month.atDay(day).toString(), Wording.credits(v))));
      long total = used.values().stream().mapToLong(Long::longValue).sum();
      return new OverviewView.Chart(
          WIDTH,
          HEIGHT,
          "Credits charged per day in "
              + period
              + ": "
              + Wording.credits(total)
              + " on "
              + used.size()
              + (used.size() == 1 ? " day" : " days")
              + "; the highest day "
              + Wording.credits(used.isEmpty() ? 0 : max)
              + ".",
          bars,
          table,
          truncated
              ? "Drawn from the newest "
                  + String.format(java.util.Locale.ROOT, "%,d", charges.size())
                  + " charges of the month."
              : null);
    }
  }
}
