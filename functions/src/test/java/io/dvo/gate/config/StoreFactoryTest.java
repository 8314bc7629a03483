package io.dvo.gate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.cosmos.CosmosApprovalStore;
import io.dvo.gate.store.cosmos.CosmosPolicyStore;
import io.dvo.gate.store.cosmos.CosmosQuotaStore;
import io.dvo.gate.store.sqlite.SqliteApprovalStore;
import io.dvo.gate.store.sqlite.SqliteQuotaStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreFactoryTest {
  @TempDir Path dir;

  @Test
  void withoutACosmosEndpointTheSqliteFileIsUsed() {
    Path file = dir.resolve("data/gate.db");
    Map<Setting, String> settings = Map.of(Setting.DVO_DATA_FILE, file.toString());

    try (Stores stores = StoreFactory.fromSettings(settings::get)) {
      assertThat(stores.approvals()).isInstanceOf(SqliteApprovalStore.class);
      assertThat(stores.quotas()).isInstanceOf(SqliteQuotaStore.class);
      assertThat(stores.approvals().get("acme", "x")).isEmpty();
    }
    assertThat(file).exists();
    assertThat(StoreFactory.describe(settings::get)).contains("SQLite").contains("gate.db");
  }

  @Test
  void aCosmosEndpointSelectsCosmosWithoutConnectingYet() {
    // Nothing listens on port 9: opening must not contact the account (lazy client).
    Map<Setting, String> settings =
        Map.of(
            Setting.DVO_COSMOS_ENDPOINT, "https://127.0.0.1:9/",
            Setting.DVO_COSMOS_KEY, "c2VjcmV0LWtleQ==",
            Setting.DVO_DATA_FILE, dir.resolve("unused.db").toString());

    try (Stores stores = StoreFactory.fromSettings(settings::get)) {
      assertThat(stores.approvals()).isInstanceOf(CosmosApprovalStore.class);
      assertThat(stores.quotas()).isInstanceOf(CosmosQuotaStore.class);
      assertThat(stores.policies()).isInstanceOf(CosmosPolicyStore.class);
    }
    assertThat(dir.resolve("unused.db")).doesNotExist();
    assertThat(StoreFactory.describe(settings::get))
        .contains("127.0.0.1:9", "database=dvo-gate", "auth=key")
        .doesNotContain("c2VjcmV0LWtleQ==");
  }

  @Test
  void withoutAKeyCosmosUsesEntraId() {
    Map<Setting, String> settings =
        Map.of(Setting.DVO_COSMOS_ENDPOINT, "https://acct.documents.azure.com:443/");

    assertThat(StoreFactory.describe(settings::get)).contains("auth=entra-id");
  }

  @Test
  void aCreateContainersValueOtherThanTrueOrFalseIsRefusedNotReadAsFalse() {
    Map<Setting, String> settings =
        Map.of(
            Setting.DVO_COSMOS_ENDPOINT, "https://acct.documents.azure.com:443/",
            Setting.DVO_COSMOS_CREATE_CONTAINERS, "yes");

    assertThatThrownBy(() -> StoreFactory.fromSettings(settings::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DVO_COSMOS_CREATE_CONTAINERS")
        .hasMessageContaining("true or false");
  }

  @Test
  void aPlainHttpEndpointIsRefusedWithTheSettingName() {
    Map<Setting, String> settings = Map.of(Setting.DVO_COSMOS_ENDPOINT, "http://acct:8081/");

    assertThatThrownBy(() -> StoreFactory.fromSettings(settings::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DVO_COSMOS_ENDPOINT");
  }

  @Test
  void aBusyTimeoutThatIsNotAPositiveWholeNumberIsRefusedWithTheSettingName() {
    for (String bad : new String[] {"0", "-5", "1.5", "soon"}) {
      Map<Setting, String> settings =
          Map.of(
              Setting.DVO_DATA_FILE,
              dir.resolve("gate.db").toString(),
              Setting.DVO_SQLITE_BUSY_TIMEOUT_MS,
              bad);
      assertThatThrownBy(() -> StoreFactory.fromSettings(settings::get))
          .as(bad)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("DVO_SQLITE_BUSY_TIMEOUT_MS");
    }
  }

  @Test
  void sqliteCommitsAreSyncedFullyByDefaultAndNormalOnlyWhenAskedFor() {
    assertThat(StoreFactory.synchronous(Map.<Setting, String>of()::get))
        .isEqualTo(io.dvo.gate.store.sqlite.SqliteDatabase.Synchronous.FULL);
    assertThat(StoreFactory.synchronous(Map.of(Setting.DVO_SQLITE_SYNCHRONOUS, " Normal ")::get))
        .isEqualTo(io.dvo.gate.store.sqlite.SqliteDatabase.Synchronous.NORMAL);
    assertThat(StoreFactory.synchronous(Map.of(Setting.DVO_SQLITE_SYNCHRONOUS, "FULL")::get))
        .isEqualTo(io.dvo.gate.store.sqlite.SqliteDatabase.Synchronous.FULL);
    for (String bad : new String[] {"off", "2", "extra", "fully"}) {
      Map<Setting, String> settings =
          Map.of(
              Setting.DVO_DATA_FILE,
              dir.resolve("gate.db").toString(),
              Setting.DVO_SQLITE_SYNCHRONOUS,
              bad);
      assertThatThrownBy(() -> StoreFactory.fromSettings(settings::get))
          .as(bad)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("DVO_SQLITE_SYNCHRONOUS must be full or normal, not '" + bad + "'.");
    }
  }
}
