package io.dvo.gate.store.cosmos;

import io.dvo.gate.config.Setting;
import java.util.Objects;
import java.util.function.Function;

/**
 * How to reach Cosmos DB. {@code key} null means Entra ID ({@code DefaultAzureCredential}, with
 * {@code managedIdentityClientId} for a user-assigned identity). {@link #toString()} never shows
 * the key.
 */
public record CosmosSettings(
    String endpoint,
    String database,
    String key,
    String managedIdentityClientId,
    boolean createContainers) {

  public CosmosSettings {
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
        flag(valueOrDefault(settings, Setting.DVO_COSMOS_CREATE_CONTAINERS)));
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
        endpoint, otherDatabase, key, managedIdentityClientId, createContainers);
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
        + "]";
  }
}
