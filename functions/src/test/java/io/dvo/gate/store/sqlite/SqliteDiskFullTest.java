package io.dvo.gate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.contract.ContractData;
import io.dvo.gate.testsupport.GateFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The data file on a real file system that fills up: a small tmpfs mounted for the test (the build
 * runs as root; without the right to mount, the test fails and says so). While the disk is full
 * writes fail closed (store failure, 503); once space is freed, the gate writes again by itself.
 */
class SqliteDiskFullTest {
  private Path mountPoint;
  private boolean mounted;

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    mountPoint = Files.createTempDirectory("dvo-disk-full");
    Process mount =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", mountPoint.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = mount.waitFor(30, TimeUnit.SECONDS);
    if (!done || mount.exitValue() != 0) {
      throw new AssertionError(
          "This test needs a real full file system: it mounts a 3 MB tmpfs, which needs root (or"
              + " CAP_SYS_ADMIN) and the mount command. `mount -t tmpfs` failed: "
              + output.strip());
    }
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      Process umount = new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start();
      if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0) {
        new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start().waitFor();
      }
    }
    Files.deleteIfExists(mountPoint);
  }

  /** Writes a file until the file system has no space left; returns it (delete it to free). */
  private Path fillTheDisk() throws IOException {
    Path filler = mountPoint.resolve("filler");
    byte[] chunk = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
    return filler;
  }

  private static ChargeRequest charge(int n) {
    // Long keys fill the log quickly.
    return new ChargeRequest(
        "acme", "2026-03", "run-" + n + "-" + "k".repeat(900), 1, 1_000_000, null, null);
  }

  private static HttpResponse health(GateFixture gate) {
    return gate.app
        .httpApi()
        .handle(new HttpRequest("GET", "/api/v1/health", null, null, null, ""));
  }

  private static HttpResponse ready(GateFixture gate) {
    return gate.app
        .httpApi()
        .handle(new HttpRequest("GET", "/api/v1/health/ready", null, null, null, ""));
  }

  @Test
  void afterTheDiskFilledUpWritesSucceedAgainOnceSpaceIsFreed() throws Exception {
    try (GateFixture gate = GateFixture.over(SqliteStores.open(mountPoint.resolve("gate.db")))) {
      Stores stores = gate.app.stores();
      stores.quotas().putSettings(new QuotaSettings("acme", 1_000_000, null, null), null);
      assertThat(health(gate).status()).isEqualTo(200);
      Path filler = fillTheDisk();

      int n = 0;
      StoreUnavailableException full = null;
      while (full == null && n < 5_000) {
        try {
          stores.quotas().charge(charge(n++));
        } catch (StoreUnavailableException e) {
          full = e;
        }
      }
      assertThat(full).as("a write failed once the disk was full").isNotNull();
      long usedWhenFull = stores.quotas().usage("acme", "2026-03").used();
      // Still full: writes keep failing closed, and nothing half-written is counted.
      for (int i = 0; i < 3; i++) {
        int key = n++;
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> stores.quotas().charge(charge(key)))
            .isInstanceOf(StoreUnavailableException.class);
      }
      assertThat(stores.quotas().usage("acme", "2026-03").used()).isEqualTo(usedWhenFull);
      HttpResponse alive = health(gate);
      assertThat(alive.status()).as("liveness: a restart would not free the disk").isEqualTo(200);
      assertThat(alive.bodyText())
          .as("but it tells the truth")
          .contains("\"store_writes\":\"failing\"")
          .contains("the disk is full")
          .doesNotContain(mountPoint.toString());
      HttpResponse notReady = ready(gate);
      assertThat(notReady.status()).as("readiness fails while writes fail").isEqualTo(503);
      assertThat(notReady.bodyText())
          .contains("writes are failing")
          .contains("the disk is full")
          .doesNotContain(mountPoint.toString());
      assertThat(notReady.header("Retry-After")).isNotBlank();

      Files.delete(filler);

      for (int i = 0; i < 20; i++) {
        assertThat(stores.quotas().charge(charge(n++)).status())
            .as("charge %d after space was freed", i)
            .isEqualTo(ChargeResult.Status.CHARGED);
      }
      assertThat(
              stores
                  .approvals()
                  .create(
                      ContractData.pending("acme", "after", Instant.parse("2026-03-05T08:00:00Z"))))
          .isNotNull();
      assertThat(stores.approvals().get("acme", "after")).isPresent();
      assertThat(stores.quotas().usage("acme", "2026-03").used()).isEqualTo(usedWhenFull + 20);
      assertThat(health(gate).status()).isEqualTo(200);
      assertThat(health(gate).bodyText()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(ready(gate).status()).isEqualTo(200);
    }
  }
}
