package io.dvo.gate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.store.sqlite.SqliteStores;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingKeysTest {
  @TempDir Path dir;

  @Test
  void sortKeysOrderByInstantThenIdAsPlainStrings() {
    Instant t = Instant.parse("2026-03-01T10:00:00.5Z");
    String early = ListingKeys.sortKey(t, "zz");
    String sameInstant = ListingKeys.sortKey(t, "aa");
    String later = ListingKeys.sortKey(t.plusNanos(1), "aa");
    String muchLater = ListingKeys.sortKey(Instant.parse("2100-01-01T00:00:00Z"), "aa");

    assertThat(sameInstant).isLessThan(early);
    assertThat(early).isLessThan(later);
    assertThat(later).isLessThan(muchLater);
  }

  @Test
  void aContinuationResumesAfterItsKey() {
    String key = ListingKeys.sortKey(Instant.parse("2026-03-01T10:00:00Z"), "ap/1?#");

    assertThat(ListingKeys.resumeAfter(ListingKeys.continuationAfter(key))).isEqualTo(key);
  }

  @Test
  void aForgedContinuationIsABadArgumentNotAStoreFailure() {
    try (Stores stores = SqliteStores.open(dir.resolve("gate.db"))) {
      assertThatThrownBy(
              () -> stores.approvals().list("acme", new ApprovalQuery(null, null, null, 5), "%%%"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("continuation");
      assertThatThrownBy(
              () ->
                  stores
                      .approvals()
                      .list("acme", new ApprovalQuery(null, null, null, 5), "aGVsbG8"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("continuation");
    }
  }
}
