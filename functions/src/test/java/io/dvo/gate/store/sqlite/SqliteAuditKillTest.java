package io.dvo.gate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.audit.AuditReader;
import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.audit.AuditVerification;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.contract.AuditStoreContract;
import io.dvo.gate.testsupport.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gate processes append bursts to one file; one is killed with SIGKILL in the middle. The chain
 * stays intact with no gap, every append a process reported durable is there, and appending goes on
 * from the last event.
 */
class SqliteAuditKillTest {
  @TempDir Path dir;

  /**
   * The child process: appends until killed, printing each sequence once it is durable. A write
   * that waited past the busy timeout for the other process is tried again, as a caller retries a
   * 503.
   */
  public static void main(String[] args) {
    try (Stores stores = SqliteStores.open(Path.of(args[0]), java.time.Duration.ofSeconds(10))) {
      AuditStore audit = stores.audit();
      while (true) {
        try {
          long sequence =
              audit.append(AuditStoreContract.draft("acme", Instant.now(), "allow")).sequence();
          System.out.println(sequence);
          System.out.flush();
        } catch (io.dvo.gate.store.StoreUnavailableException busy) {
          System.err.println("busy: " + busy.getMessage());
        }
      }
    }
  }

  @Test
  void killedMidBurstLeavesNoGap() throws Exception {
    Path file = dir.resolve("gate.db");
    // The file and its schema exist before two processes write to it.
    SqliteStores.open(file).close();
    Process victim = start(file);
    Process survivor = start(file);
    long lastReported = 0;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8))) {
      for (int i = 0; i < 200; i++) {
        String line = out.readLine();
        assertThat(line)
            .as("the child keeps appending; its stderr: %s", childErrors(file))
            .isNotNull();
        lastReported = Long.parseLong(line.trim());
      }
      victim.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close
      victim.waitFor(30, TimeUnit.SECONDS);
    } finally {
      survivor.destroyForcibly();
      survivor.waitFor(30, TimeUnit.SECONDS);
    }

    try (Stores stores = SqliteStores.open(file)) {
      AuditVerification verified = AuditReader.verify(stores.audit(), "acme");
      assertThat(verified.problem()).isNull();
      assertThat(verified.lastSequence()).isGreaterThanOrEqualTo(lastReported);
      assertThat(verified.checked()).isEqualTo(verified.lastSequence());
      long next =
          stores.audit().append(AuditStoreContract.draft("acme", Instant.now(), "deny")).sequence();
      assertThat(next).isEqualTo(verified.lastSequence() + 1);
      assertThat(AuditReader.verify(stores.audit(), "acme").intact()).isTrue();
    }
  }

  private static String childErrors(Path file) {
    return ChildJvm.errors(file.resolveSibling("child.err"));
  }

  private static Process start(Path file) throws Exception {
    return ChildJvm.start(
        SqliteAuditKillTest.class, file.resolveSibling("child.err"), file.toString());
  }
}
