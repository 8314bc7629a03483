package io.dvo.gate.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The pipeline API keys the gate accepts ({@code DVO_API_KEYS}): a JSON array of {@code {"id",
 * "sha256", "roles", "tenants", "name"}}. Parsed once at startup; any bad entry stops the gate
 * rather than leaving it half configured. Errors name the entry, never a key or a hash.
 */
public final class ApiKeys {
  public static final String SETTING = "DVO_API_KEYS";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final ApiKeys NONE = new ApiKeys(List.of());

  private final List<ApiKey> keys;

  private ApiKeys(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
  }

  public static ApiKeys none() {
    return NONE;
  }

  public static ApiKeys of(List<ApiKey> keys) {
    return new ApiKeys(keys);
  }

  public List<ApiKey> keys() {
    return keys;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /**
   * Parses the setting's value; null or blank means no keys.
   *
   * @throws IllegalStateException naming the setting and the bad entry
   */
  public static ApiKeys parse(String json) {
    if (json == null || json.isBlank()) {
      return NONE;
    }
    JsonNode root;
    try {
      root = PLAIN.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(
          SETTING
              + " is not valid JSON (expected an array of {\"id\", \"sha256\", \"roles\","
              + " \"tenants\", \"name\"}).");
    }
    if (root == null || !root.isArray()) {
      throw new IllegalStateException(
          SETTING + " must be a JSON array of {\"id\", \"sha256\", \"roles\", \"tenants\"}.");
    }
    List<ApiKey> keys = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      String where = SETTING + " entry " + i;
      if (!entry.isObject()) {
        throw new IllegalStateException(where + " is not a JSON object.");
      }
      String id = text(entry, "id", where);
      if (id == null || !ID.matcher(id).matches()) {
        throw new IllegalStateException(
            where + ": \"id\" is required: 1-64 letters, digits, '.', '_' or '-'.");
      }
      where = SETTING + " entry " + i + " ('" + id + "')";
      String hex = text(entry, "sha256", where);
      if (hex == null || !HEX.matcher(hex).matches()) {
        throw new IllegalStateException(
            where
                + ": \"sha256\" must be the 64 hex digits of the key's SHA-256"
                + " (dvo-gate api-key hash).");
      }
      if (!ids.add(id)) {
        throw new IllegalStateException(where + ": the id is used by an earlier entry.");
      }
      if (!hashes.add(hex.toLowerCase(Locale.ROOT))) {
        throw new IllegalStateException(where + ": the same key hash is in an earlier entry.");
      }
      keys.add(
          new ApiKey(
              id,
              HexFormat.of().parseHex(hex),
              text(entry, "name", where),
              strings(entry, "roles", where),
              strings(entry, "tenants", where)));
    }
    return new ApiKeys(keys);
  }

  /**
   * The entry whose hash matches the presented key. Every entry is compared, in constant time, so
   * neither the answer's timing nor its position tells anything about the configured hashes.
   */
  public Optional<ApiKey> match(String presentedKey) {
    byte[] presented = sha256(presentedKey);
    ApiKey found = null;
    for (ApiKey key : keys) {
      if (MessageDigest.isEqual(presented, key.sha256()) && found == null) {
        found = key;
      }
    }
    return Optional.ofNullable(found);
  }

  /** SHA-256 of the key's UTF-8 bytes. */
  public static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The hash as configured in {@code DVO_API_KEYS}: lower-case hex. */
  public static String sha256Hex(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  private static String text(JsonNode entry, String field, String where) {
    JsonNode value = entry.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalStateException(where + ": \"" + field + "\" must be a string.");
    }
    return value.asText().trim();
  }

  private static List<String> strings(JsonNode entry, String field, String where) {
    JsonNode value = entry.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    if (value.isArray()) {
      for (JsonNode item : value) {
        if (!item.isTextual() || item.asText().isBlank()) {
          throw new IllegalStateException(
              where + ": \"" + field + "\" must be an array of non-empty strings.");
        }
        values.add(item.asText().trim());
      }
      return values;
    }
    throw new IllegalStateException(
        where + ": \"" + field + "\" must be an array of non-empty strings.");
  }
}
