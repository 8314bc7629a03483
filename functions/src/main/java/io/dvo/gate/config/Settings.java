package io.dvo.gate.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.http.auth.ApiKeys;
import io.dvo.gate.http.auth.AuthSettings;
import io.dvo.gate.opa.DecisionPath;
import io.dvo.gate.opa.OpaSettings;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.settings.SettingValues;
import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The values of every {@link Setting}, from environment variables / app settings (or a map in
 * tests). Blank counts as unset, so an empty app setting falls back to the default. Bad values are
 * startup errors that name the setting, never silent fallbacks.
 */
public final class Settings implements SettingValues<Settings> {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final String KEY_VAULT_REFERENCE = "@Microsoft.KeyVault(";
  private final Map<String, String> environment;

  private Settings(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  public static Settings fromEnvironment() {
    return new Settings(System.getenv());
  }

  /** For tests and the local server: explicit values, on top of nothing. */
  public static Settings of(Map<String, String> values) {
    return new Settings(values);
  }

  /** A copy with some values replaced (command-line options win over the environment). */
  public Settings with(Map<Setting, String> overrides) {
    Map<String, String> copy = new java.util.HashMap<>(environment);
    overrides.forEach(
        (setting, value) -> {
          if (value != null) {
            copy.put(setting.name(), value);
          }
        });
    return new Settings(copy);
  }

  /** The configured value, else the default (may be null). */
  public String get(Setting setting) {
    String value = environment.get(setting.name());
    return value == null || value.isBlank() ? setting.defaultValue() : value.trim();
  }

  public boolean flag(Setting setting) {
    String value = get(setting);
    if (value == null) {
      return false;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalStateException(
        setting.name() + " must be true or false, not '" + value + "'.");
  }

  /**
   * DVO_TIME_ZONE as a zone. Parsed here only: every part of the gate (decisions, cards, the review
   * page) gets the same zone, and a bad value fails startup with one message naming it.
   */
  public ZoneId timeZone() {
    String value = get(Setting.DVO_TIME_ZONE);
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new IllegalStateException(
          "DVO_TIME_ZONE must be a time zone id such as UTC or Europe/Berlin, not '"
              + value
              + "'.");
    }
  }

  /** A whole number of at least {@code minimum}. */
  public int integer(Setting setting, int minimum) {
    return wholeNumber(setting, get(setting), minimum);
  }

  /**
   * {@code value} of {@code setting} (as {@link #get} returns it, default applied) as a whole
   * number of at least {@code minimum}; for code that holds settings as a function.
   */
  public static int wholeNumber(Setting setting, String value, int minimum) {
    return SettingValues.wholeNumber(setting, value, minimum);
  }

  /**
   * Fails startup when a setting still holds a Key Vault reference: App Service leaves the literal
   * {@code @Microsoft.KeyVault(...)} in place when it cannot resolve it (secret missing, or the
   * app's identity not yet allowed to read it), and such a literal must never be taken for the
   * secret. Names the settings, never their values.
   */
  public void requireResolvedReferences() {
    List<String> unresolved =
        java.util.Arrays.stream(Setting.values())
            .filter(setting -> isUnresolvedReference(environment.get(setting.name())))
            .map(Setting::name)
            .toList();
    if (!unresolved.isEmpty()) {
      throw new IllegalStateException(
          String.join(", ", unresolved)
              + (unresolved.size() == 1 ? " still holds" : " still hold")
              + " an unresolved Key Vault reference (@Microsoft.KeyVault(...)): the secret does not"
              + " exist or the app's identity may not read it yet. Check the secret and the Key"
              + " Vault Secrets User role, then restart the app (infra-bicep/README.md).");
    }
  }

  private static boolean isUnresolvedReference(String value) {
    return value != null
        && value
            .strip()
            .regionMatches(true, 0, KEY_VAULT_REFERENCE, 0, KEY_VAULT_REFERENCE.length());
  }

  /** The raw environment (for the Azure detection of development mode). */
  public Map<String, String> environment() {
    return environment;
  }

  /** The settings as the store factory wants them. */
  public Function<Setting, String> asFunction() {
    return this::get;
  }

  public AuthSettings auth() {
    return new AuthSettings(
        flag(Setting.DVO_DEV_MODE),
        get(Setting.DVO_TENANT_CLAIM),
        jsonMap(Setting.DVO_TENANT_MAP, new TypeReference<Map<String, List<String>>>() {}),
        jsonMap(Setting.DVO_ROLE_MAP, new TypeReference<Map<String, String>>() {}),
        ApiKeys.parse(get(Setting.DVO_API_KEYS)),
        flag(Setting.DVO_TRUST_PRINCIPAL_HEADER));
  }

  /**
   * The OPA settings: {@link Setting#DVO_OPA_URL}, {@code _DECISION}, {@code _TIMEOUT_MS}, {@code
   * _MAX_IN_FLIGHT} and the per-tenant {@link Setting#DVO_OPA_TENANTS}. Every bad value stops
   * startup naming the setting (a URL is never repeated: it may carry a secret).
   */
  public OpaSettings opa() {
    String url = get(Setting.DVO_OPA_URL);
    int timeout = integer(Setting.DVO_OPA_TIMEOUT_MS, 1);
    if (timeout > 60_000) {
      throw new IllegalStateException(
          "DVO_OPA_TIMEOUT_MS must be at most 60000 (a minute), not " + timeout + ".");
    }
    return new OpaSettings(
        url == null ? null : opaUrl(Setting.DVO_OPA_URL.name(), url),
        decision(Setting.DVO_OPA_DECISION.name(), get(Setting.DVO_OPA_DECISION)),
        Duration.ofMillis(timeout),
        integer(Setting.DVO_OPA_MAX_IN_FLIGHT, 1),
        opaTenants());
  }

  private Map<String, OpaSettings.Tenant> opaTenants() {
    String value = get(Setting.DVO_OPA_TENANTS);
    if (value == null) {
      return Map.of();
    }
    String name = Setting.DVO_OPA_TENANTS.name();
    com.fasterxml.jackson.databind.JsonNode root;
    try {
      root = PLAIN.readTree(value);
    } catch (Exception e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      throw new IllegalStateException(
          name
              + " is not a JSON object from tenant id to its OPA settings (e.g."
              + " {\"acme\":{\"fail_open_for\":[\"dev\"]}}).");
    }
    Map<String, OpaSettings.Tenant> tenants = new LinkedHashMap<>();
    Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> entries = root.fields();
    while (entries.hasNext()) {
      Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> entry = entries.next();
      String at = name + "." + entry.getKey();
      com.fasterxml.jackson.databind.JsonNode tenant = entry.getValue();
      if (!tenant.isObject()) {
        throw new IllegalStateException(at + " must be an object {url, decision, fail_open_for}.");
      }
      tenant
          .fieldNames()
          .forEachRemaining(
              key -> {
                if (!List.of("url", "decision", "fail_open_for").contains(key)) {
                  throw new IllegalStateException(
                      at
                          + "."
                          + key
                          + " is not a known key; expected url, decision, fail_open_for.");
                }
              });
      URI url =
          tenant.hasNonNull("url")
              ? opaUrl(at + ".url", text(tenant.get("url"), at + ".url"))
              : null;
      DecisionPath decision =
          tenant.hasNonNull("decision")
              ? decision(at + ".decision", text(tenant.get("decision"), at + ".decision"))
              : null;
      java.util.Set<String> failOpen = new LinkedHashSet<>();
      com.fasterxml.jackson.databind.JsonNode list = tenant.get("fail_open_for");
      if (list != null && !list.isNull()) {
        if (!list.isArray()) {
          throw new IllegalStateException(at + ".fail_open_for must be a list of environments.");
        }
        for (com.fasterxml.jackson.databind.JsonNode environment : list) {
          failOpen.add(text(environment, at + ".fail_open_for[" + failOpen.size() + "]"));
        }
      }
      tenants.put(entry.getKey(), new OpaSettings.Tenant(url, decision, failOpen));
    }
    return tenants;
  }

  /**
   * The SIEM forwarding settings ({@code DVO_SIEM_*}), or null when {@link
   * Setting#DVO_SIEM_ADDRESS} is unset. Bad values stop startup naming the setting.
   */
  public io.dvo.gate.siem.SiemSettings siem() {
    String address = get(Setting.DVO_SIEM_ADDRESS);
    if (address == null) {
      return null;
    }
    io.dvo.gate.siem.SiemSettings.Address parsed;
    io.dvo.gate.siem.SiemSettings.WhenFull whenFull;
    try {
      parsed = io.dvo.gate.siem.SiemSettings.parseAddress(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(Setting.DVO_SIEM_ADDRESS.name() + " " + e.getMessage() + ".");
    }
    try {
      whenFull = io.dvo.gate.siem.SiemSettings.WhenFull.parse(get(Setting.DVO_SIEM_OUTBOX_FULL));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          Setting.DVO_SIEM_OUTBOX_FULL.name() + " " + e.getMessage() + ".");
    }
    boolean tls = flag(Setting.DVO_SIEM_TLS);
    String ca = get(Setting.DVO_SIEM_CA_FILE);
    if (ca != null && !tls) {
      throw new IllegalStateException(
          Setting.DVO_SIEM_CA_FILE.name() + " is set but DVO_SIEM_TLS is not true.");
    }
    if (ca != null && !java.nio.file.Files.isReadable(Path.of(ca))) {
      throw new IllegalStateException(
          Setting.DVO_SIEM_CA_FILE.name() + " names a file that cannot be read: " + ca + ".");
    }
    io.dvo.gate.siem.SiemSettings.Payload payload;
    try {
      payload = io.dvo.gate.siem.SiemSettings.Payload.parse(get(Setting.DVO_SIEM_FORMAT));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(Setting.DVO_SIEM_FORMAT.name() + " " + e.getMessage() + ".");
    }
    return io.dvo.gate.siem.SiemSettings.of(
            parsed.host(),
            parsed.port(),
            tls,
            ca == null ? null : Path.of(ca),
            Path.of(get(Setting.DVO_SIEM_OUTBOX_FILE)),
            integer(Setting.DVO_SIEM_OUTBOX_MAX_EVENTS, 1),
            whenFull)
        .withPayload(payload);
  }

  private static String text(com.fasterxml.jackson.databind.JsonNode node, String at) {
    if (!node.isTextual() || node.textValue().isBlank()) {
      throw new IllegalStateException(at + " must be a non-empty string.");
    }
    return node.textValue().trim();
  }

  private static URI opaUrl(String at, String value) {
    try {
      return OpaSettings.parseUrl(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(at + " " + e.getMessage() + ".");
    }
  }

  private static DecisionPath decision(String at, String value) {
    try {
      return new DecisionPath(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(at + ": " + e.getMessage() + ".");
    }
  }

  private <T> Map<String, T> jsonMap(Setting setting, TypeReference<Map<String, T>> type) {
    String value = get(setting);
    if (value == null) {
      return Map.of();
    }
    try {
      Map<String, T> map = PLAIN.readValue(value, type);
      return map == null ? Map.of() : map;
    } catch (Exception e) {
      throw new IllegalStateException(
          setting.name() + " is not the expected JSON object (" + exampleOf(setting) + ").");
    }
  }

  private static String exampleOf(Setting setting) {
    return setting == Setting.DVO_TENANT_MAP
        ? "e.g. {\"alice@example.com\":[\"team-a\"],\"role:admin\":[\"*\"]}"
        : "e.g. {\"Gate.Admin\":\"admin\"}";
  }
}
