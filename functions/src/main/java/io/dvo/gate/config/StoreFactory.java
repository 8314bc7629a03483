package io.dvo.gate.config;

import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.cosmos.CosmosConnection;
import io.dvo.gate.store.cosmos.CosmosSettings;
import io.dvo.gate.store.cosmos.CosmosStores;
import io.dvo.gate.store.sqlite.SqliteDatabase;
import io.dvo.gate.store.sqlite.SqliteStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** Chooses and opens the stores from the gate's settings. */
public final class StoreFactory {
  private StoreFactory() {}

  /**
   * Cosmos DB when {@code DVO_COSMOS_ENDPOINT} is set (the client is built lazily on first use;
   * Entra ID unless {@code DVO_COSMOS_KEY}), else SQLite at {@code DVO_DATA_FILE}.
   *
   * @throws IllegalArgumentException when a setting is malformed
   * @throws StoreUnavailableException when the SQLite file cannot be opened
   */
  public static Stores fromSettings(Function<Setting, String> settings) {
    String endpoint = settings.apply(Setting.DVO_COSMOS_ENDPOINT);
    if (endpoint != null && !endpoint.isBlank()) {
      return CosmosStores.open(CosmosConnection.create(CosmosSettings.from(settings)));
    }
    String file = settings.apply(Setting.DVO_DATA_FILE);
    if (file == null || file.isBlank()) {
      file = Setting.DVO_DATA_FILE.defaultValue();
    }
    return SqliteStores.open(
        Path.of(file),
        Duration.ofMillis(millis(settings, Setting.DVO_SQLITE_BUSY_TIMEOUT_MS)),
        synchronous(settings));
  }

  /**
   * Parses the store settings {@link #fromSettings} would use, opening nothing.
   *
   * @throws IllegalArgumentException or IllegalStateException naming the bad setting
   */
  static void check(Function<Setting, String> settings) {
    String endpoint = settings.apply(Setting.DVO_COSMOS_ENDPOINT);
    if (endpoint != null && !endpoint.isBlank()) {
      CosmosSettings.from(settings);
      return;
    }
    millis(settings, Setting.DVO_SQLITE_BUSY_TIMEOUT_MS);
    synchronous(settings);
  }

  /** {@code DVO_SQLITE_SYNCHRONOUS}: full (the default) or normal. */
  static SqliteDatabase.Synchronous synchronous(Function<Setting, String> settings) {
    String value = settings.apply(Setting.DVO_SQLITE_SYNCHRONOUS);
    if (value == null || value.isBlank()) {
      value = Setting.DVO_SQLITE_SYNCHRONOUS.defaultValue();
    }
    try {
      return SqliteDatabase.Synchronous.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "DVO_SQLITE_SYNCHRONOUS must be full or normal, not '" + value.trim() + "'.");
    }
  }

  /** A duration setting in milliseconds, its default when unset; at least 1. */
  static int millis(Function<Setting, String> settings, Setting setting) {
    String value = settings.apply(setting);
    return Settings.wholeNumber(
        setting, value == null || value.isBlank() ? setting.defaultValue() : value.trim(), 1);
  }

  /** Which store {@link #fromSettings} opens, for logs and health output. */
  public static String describe(Function<Setting, String> settings) {
    String endpoint = settings.apply(Setting.DVO_COSMOS_ENDPOINT);
    if (endpoint != null && !endpoint.isBlank()) {
      return CosmosSettings.from(settings).toString();
    }
    String file = settings.apply(Setting.DVO_DATA_FILE);
    return "SQLite "
        + (file == null || file.isBlank() ? Setting.DVO_DATA_FILE.defaultValue() : file);
  }
}
