package io.dvo.gate.store.cosmos;

import io.dvo.gate.settings.Setting;
import io.dvo.gate.settings.SettingValues;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How to reach Cosmos DB. {@code key} null means Entra ID ({@code DefaultAzureCredential}, with
 * {@code managedIdentityClientId} for a user-assigned identity). {@link #toString()} never shows
 * the key.
 *
 * @param operationTimeout the deadline of one store operation, its retries included
 * @param tenantConcurrency store operations one tenant may have in progress at once
 */
public record CosmosSettings(
    String endpoint,
    String database,
    String key,
    String managedIdentityClientId,
    boolean createContainers,
    Duration operationTimeout,
    int tenantConcurrency) {

  public static final Duration DEFAULT_OPERATION_TIMEOUT =
      Duration.ofMillis(Long.parseLong(Setting.DVO_COSMOS_TIMEOUT_MS.defaultValue()));
  public static final int DEFAULT_TENANT_CONCURRENCY =
      Integer.parseInt(Setting.DVO_COSMOS_TENANT_CONCURRENCY.defaultValue());

  /** With the default deadline and tenant concurrency. */
  public CosmosSettings(
      String endpoint,
      String database,
      String key,
      String managedIdentityClientId,
      boolean createContainers) {
    this(
        endpoint,
        database,
        key,
        managedIdentityClientId,
        createContainers,
        DEFAULT_OPERATION_TIMEOUT,
        DEFAULT_TENANT_CONCURRENCY);
  }

  public CosmosSettings {
    Objects.requireNonNull(operationTimeout, "operationTimeout");
    if (operationTimeout.isNegative() || operationTimeout.isZero()) {
      throw new IllegalArgumentException(
          Setting.DVO_COSMOS_TIMEOUT_MS.name() + " must be a positive number of milliseconds");
    }
    if (tenantConcurrency < 1) {
      throw new IllegalArgumentException(
          Setting.DVO_COSMOS_TENANT_CONCURRENCY.name() + " must be at least 1");
    }
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(database, "database");
    if (!endpoint.startsWith("https://")) {
      throw new IllegalArgumentException(
          Setting.DVO_COSMOS_ENDPOINT.name() + " must be an https:// URL");
    }
    if (database.isBlank()) {
      throw new IllegalArgumentException(Setting.DVO_COSMOS_DATABASE.name() + " must not be blank");
    }
  }

  /** Reads the DVO_COSMOS_* settings; the endpoint must be set. */
  public static CosmosSettings from(Function<Setting, String> settings) {
    return new CosmosSettings(
        settings.apply(Setting.DVO_COSMOS_ENDPOINT),
        valueOrDefault(settings, Setting.DVO_COSMOS_DATABASE),
        blankToNull(settings.apply(Setting.DVO_COSMOS_KEY)),
        blankToNull(settings.apply(Setting.AZURE_CLIENT_ID)),
        flag(valueOrDefault(settings, Setting.DVO_COSMOS_CREATE_CONTAINERS)),
        Duration.ofMillis(
            SettingValues.wholeNumber(
                Setting.DVO_COSMOS_TIMEOUT_MS,
                valueOrDefault(settings, Setting.DVO_COSMOS_TIMEOUT_MS),
                1)),
        SettingValues.wholeNumber(
            Setting.DVO_COSMOS_TENANT_CONCURRENCY,
            valueOrDefault(settings, Setting.DVO_COSMOS_TENANT_CONCURRENCY),
            1));
  }

  /** The same account and database with another deadline and tenant concurrency (tests). */
  public CosmosSettings withLimits(Duration timeout, int concurrency) {
    return new CosmosSettings(
        endpoint, database, key, managedIdentityClientId, createContainers, timeout, concurrency);
  }

  /** Strict: a typo such as "yes" is a startup error, not a silent false. */
  private static boolean flag(String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(
        Setting.DVO_COSMOS_CREATE_CONTAINERS.name()
            + " must be true or false, not '"
            + value
            + "'");
  }

  private static String valueOrDefault(Function<Setting, String> settings, Setting setting) {
    String value = blankToNull(settings.apply(setting));
    return value == null ? setting.defaultValue() : value;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  public CosmosSettings withDatabase(String otherDatabase) {
    return new CosmosSettings(
        endpoint,
        otherDatabase,
        key,
        managedIdentityClientId,
        createContainers,
        operationTimeout,
        tenantConcurrency);
  }

  @Override
  public String toString() {
    return "CosmosSettings[endpoint="
        + endpoint
        + ", database="
        + database
        + ", auth="
        + (key != null ? "key" : "entra-id")
        + ", createContainers="
        + createContainers
        + ", operationTimeout="
        + operationTimeout.toMillis()
        + "ms, tenantConcurrency="
        + tenantConcurrency
        + "]";
  }
}
