import io.dvo.gate.audit.AuditActor;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditReader;
import io.dvo.gate.audit.AuditReason;
import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.audit.AuditSubject;
import io.dvo.gate.audit.AuditVerification;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.sqlite.SqliteStores;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Audit store figures (run by scripts/audit-figures with the server jar on the class path): appends
 * N realistic gate-decision events to a fresh SQLite store, measures the file's growth, verifies the
 * chain (twice: cold JVM, then warm), and sizes the Cosmos item the gate writes for such an event.
 * Args: data directory, N.
 */
public class AuditFigures {
  private static final String TENANT = "payments";

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    Path file = dir.resolve("audit-figures.db");
    try (Stores empty = SqliteStores.open(file)) {
      empty.audit().tenants(); // the schema, nothing else
    }
    long before = size(dir);
    long jsonBytes = 0;
    AuditEvent sample = null;
    long appendStart = System.nanoTime();
    try (Stores stores = SqliteStores.open(file)) {
      AuditStore store = stores.audit();
      for (int i = 0; i < n; i++) {
        AuditEvent e = store.append(draft(i));
        if (i == n / 2) {
          sample = e;
        }
        if (i % 100 == 0) {
          jsonBytes += io.dvo.gate.audit.AuditFormat.json(e).getBytes(StandardCharsets.UTF_8).length;
        }
      }
    }
    long appendNanos = System.nanoTime() - appendStart;
    long after = size(dir);
    double perEvent = (after - before) / (double) n;
    double jsonPerEvent = jsonBytes / (double) ((n + 99) / 100);
    System.out.printf(
        "sqlite events=%d file_growth_bytes=%d bytes_per_event=%.0f json_bytes_per_event=%.0f"
            + " growth_per_million_decisions_mb=%.0f append_us_per_event=%.0f%n",
        n, after - before, perEvent, jsonPerEvent, perEvent * 1_000_000 / 1e6,
        appendNanos / 1e3 / n);

    try (Stores stores = SqliteStores.open(file)) {
      for (String run : List.of("cold", "warm")) {
        long start = System.nanoTime();
        AuditVerification v = AuditReader.verify(stores.audit(), TENANT);
        long nanos = System.nanoTime() - start;
        if (!v.intact() || v.checked() != n) {
          throw new IllegalStateException("verify did not check the whole intact chain: " + v);
        }
        System.out.printf(
            "verify run=%s events=%d ms=%d s_per_million_events=%.1f%n",
            run, v.checked(), nanos / 1_000_000, nanos / 1e9 * 1_000_000 / n);
      }
    }

    // The item CosmosAuditStore writes for the same event (its own document form).
    Class<?> cosmos = Class.forName("io.dvo.gate.store.cosmos.CosmosAuditStore");
    Method document = cosmos.getDeclaredMethod("eventDocument", AuditEvent.class);
    document.setAccessible(true);
    String item = document.invoke(null, sample).toString();
    int itemBytes = item.getBytes(StandardCharsets.UTF_8).length;
    System.out.printf(
        "cosmos item_bytes_per_event=%d with_system_properties_about=%d"
            + " growth_per_million_decisions_mb=%.0f (documents only; the index is extra)%n",
        itemBytes, itemBytes + SYSTEM_PROPERTIES, (itemBytes + SYSTEM_PROPERTIES) / 1.0);
  }

  /**
   * _rid, _self, _etag, _attachments and _ts as Cosmos DB adds them to every item: about this many
   * bytes (their documented shapes; not measured against a live account).
   */
  private static final int SYSTEM_PROPERTIES = 160;

  /** 80% allow (charged), 15% deny with a reason, 5% pending: what a busy tenant's gate answers. */
  private static AuditDraft draft(int i) {
    int kind = i % 20;
    String outcome = kind < 16 ? "allow" : kind < 19 ? "deny" : "pending_approval";
    AuditDraft.Builder b =
        new AuditDraft.Builder(
                UUID.randomUUID().toString(),
                TENANT,
                Instant.parse("2026-12-01T00:00:00Z").plusMillis(i * 40L),
                AuditEventType.GATE_DECISION)
            .severity(outcome.equals("deny") ? 6 : outcome.equals("allow") ? 3 : 4)
            .actor(new AuditActor("apikey:jenkins-prod", "carol@example.com", List.of("gate_caller")))
            .subject(
                new AuditSubject(
                    "payments-api-" + (i % 12),
                    i % 3 == 0 ? "production" : "staging",
                    outcome.equals("pending_approval") ? UUID.randomUUID().toString() : null,
                    "https://jenkins.example.net/job/payments/job/main/" + i + "/#gate-1",
                    "sha256:" + hex(i)))
            .outcome(outcome)
            .matchedRules(
                outcome.equals("deny")
                    ? List.of("mc-audit-all", "mc-deny-direct-prod")
                    : List.of("mc-audit-all"))
            .reasons(
                outcome.equals("deny")
                    ? List.of(
                        new AuditReason(
                            "mc-deny-direct-prod",
                            "Production deployments require staging validation first"))
                    : List.of())
            .packVersion("sha256:" + hex(7))
            .clientAddress("10.20." + (i % 250) + "." + (i % 200))
            .correlationId(UUID.randomUUID().toString());
    if (outcome.equals("allow")) {
      b.detail("charge_status", "charged")
          .detail("credits", 5)
          .detail("used_before", i * 5L)
          .detail("used_after", i * 5L + 5)
          .detail("period", "2026-12");
    }
    return b.build();
  }

  private static String hex(int seed) {
    StringBuilder out = new StringBuilder(64);
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    while (out.length() < 64) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      out.append(String.format("%016x", x));
    }
    return out.substring(0, 64);
  }

  private static long size(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
