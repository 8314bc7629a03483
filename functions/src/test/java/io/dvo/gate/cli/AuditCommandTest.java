package io.dvo.gate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.config.Settings;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.contract.AuditStoreContract;
import io.dvo.gate.store.sqlite.SqliteStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dvo-gate audit verify|export} over a SQLite file, and an export checked without it. */
class AuditCommandTest {
  @TempDir Path dir;
  private Path db;
  private Path key;

  @BeforeEach
  void chain() throws Exception {
    db = dir.resolve("gate.db");
    try (Stores stores = SqliteStores.open(db)) {
      for (int i = 0; i < 4; i++) {
        stores.audit().append(AuditStoreContract.draft("acme", Instant.now(), "allow"));
      }
    }
    key = dir.resolve("audit.key");
    Files.writeString(key, Base64.getEncoder().encodeToString(new byte[32]));
  }

  /**
   * The audit commands read settings as the server does: trimmed, defaults applied, --data-file
   * wins.
   */
  @Test
  void settingsAreReadAsTheServerReadsThem(@TempDir Path dir) {
    Path file = dir.resolve("audit.db");
    var settings =
        AuditCommand.settings(
            Settings.of(
                Map.of("DVO_DATA_FILE", "/elsewhere.db", "DVO_AUDIT_CHECKPOINT_KEY_ID", " k1 ")),
            file);
    assertThat(settings.apply(Setting.DVO_DATA_FILE)).isEqualTo(file.toString());
    assertThat(settings.apply(Setting.DVO_AUDIT_CHECKPOINT_KEY_ID)).isEqualTo("k1");
    assertThat(settings.apply(Setting.DVO_SQLITE_BUSY_TIMEOUT_MS))
        .isEqualTo(Setting.DVO_SQLITE_BUSY_TIMEOUT_MS.defaultValue())
        .isNotNull();
  }

  @Test
  void verifiesTheStoredChain() {
    PolicyCommandTest.Run run =
        PolicyCommandTest.run("audit", "verify", "--tenant", "acme", "--data-file", db.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("tenant acme: intact, 4 events, last 4 sha256:");
  }

  @Test
  void anExportVerifiesWithoutTheStoreAndADeletedLineIsNamed() throws Exception {
    PolicyCommandTest.Run export =
        PolicyCommandTest.run(
            "audit",
            "export",
            "--tenant",
            "acme",
            "--format",
            "jsonl",
            "--data-file",
            db.toString(),
            "--key-file",
            key.toString());
    assertThat(export.exit()).as(export.err()).isZero();
    Path file = dir.resolve("export.jsonl");
    Files.writeString(file, export.out(), StandardCharsets.UTF_8);

    PolicyCommandTest.Run ok =
        PolicyCommandTest.run(
            "audit", "verify", "--file", file.toString(), "--key-file", key.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();

    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.remove(2);
    Files.write(file, lines);
    PolicyCommandTest.Run broken =
        PolicyCommandTest.run(
            "audit", "verify", "--file", file.toString(), "--key-file", key.toString());
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.err()).contains("NOT intact (missing): event 2 is missing before event 3");
  }

  @Test
  void cefAndUsageErrors() {
    PolicyCommandTest.Run cef =
        PolicyCommandTest.run(
            "audit", "export", "--tenant", "acme", "--format", "cef", "--data-file", db.toString());
    assertThat(cef.exit()).isZero();
    assertThat(cef.out().lines()).hasSize(4).allMatch(l -> l.startsWith("CEF:0|DVO|Policy Gate|"));

    PolicyCommandTest.Run bad =
        PolicyCommandTest.run(
            "audit", "export", "--tenant", "acme", "--format", "xml", "--data-file", db.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("format must be jsonl or cef").doesNotContain("Exception");

    PolicyCommandTest.Run noKey =
        PolicyCommandTest.run("audit", "verify", "--file", dir.resolve("x").toString());
    assertThat(noKey.exit()).isEqualTo(2);
  }
}
