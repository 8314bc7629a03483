package io.dvo.gate.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which webhook announces an approval. Keys of the routing object: {@code "tenant/environment"},
 * {@code "tenant"}, {@code "*\/environment"}; the most specific match wins, then the default URL.
 * No match and no default means no notification for that approval.
 */
public final class WebhookRoutes {
  private static final String CHANNEL_PREFIX = "teams:";

  private final WebhookRoute fallback;
  private final Map<String, WebhookRoute> byKey;

  private WebhookRoutes(WebhookRoute fallback, Map<String, WebhookRoute> byKey) {
    this.fallback = fallback;
    this.byKey = Map.copyOf(byKey);
  }

  /**
   * @param defaultUrl value of DVO_TEAMS_WEBHOOK_URL, may be null or blank
   * @param routesJson value of DVO_TEAMS_WEBHOOK_ROUTES, may be null or blank
   * @throws NotifyConfigException when a URL is not absolute http(s) or the routing is malformed
   */
  public static WebhookRoutes parse(String defaultUrl, String routesJson) {
    WebhookRoute fallback = null;
    if (defaultUrl != null && !defaultUrl.isBlank()) {
      fallback = new WebhookRoute(CHANNEL_PREFIX + "default", url(defaultUrl, "default"));
    }
    Map<String, WebhookRoute> byKey = new LinkedHashMap<>();
    if (routesJson != null && !routesJson.isBlank()) {
      JsonNode routes;
      try {
        routes = Json.mapper().readTree(routesJson);
      } catch (JsonProcessingException e) {
        // Jackson's message quotes the input, which holds URLs: say where, not what.
        throw new NotifyConfigException(
            "DVO_TEAMS_WEBHOOK_ROUTES is not valid JSON (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")");
      }
      if (routes == null || !routes.isObject()) {
        throw new NotifyConfigException(
            "DVO_TEAMS_WEBHOOK_ROUTES must be a JSON object from \"tenant\", \"tenant/environment\""
                + " or \"*/environment\" to a webhook URL");
      }
      Iterator<Map.Entry<String, JsonNode>> fields = routes.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String key = normaliseKey(field.getKey());
        if (!field.getValue().isTextual()) {
          throw new NotifyConfigException(
              "DVO_TEAMS_WEBHOOK_ROUTES[\"" + key + "\"] must be a URL string");
        }
        byKey.put(key, new WebhookRoute(CHANNEL_PREFIX + key, url(field.getValue().asText(), key)));
      }
    }
    return new WebhookRoutes(fallback, byKey);
  }

  /** The route for an approval of {@code tenantId} in {@code environment}, if any. */
  public Optional<WebhookRoute> routeFor(String tenantId, String environment) {
    String env = environment == null ? "" : environment;
    for (String key : new String[] {tenantId + "/" + env, tenantId, "*/" + env}) {
      WebhookRoute route = byKey.get(key);
      if (route != null) {
        return Optional.of(route);
      }
    }
    return Optional.ofNullable(fallback);
  }

  /** True when no approval would be announced anywhere. */
  public boolean isEmpty() {
    return fallback == null && byKey.isEmpty();
  }

  private static String normaliseKey(String key) {
    String trimmed = key.trim();
    int slash = trimmed.indexOf('/');
    boolean valid =
        !trimmed.isEmpty()
            && (slash < 0
                ? !trimmed.equals("*")
                : slash > 0 && slash < trimmed.length() - 1 && trimmed.indexOf('/', slash + 1) < 0);
    if (!valid) {
      throw new NotifyConfigException(
          "DVO_TEAMS_WEBHOOK_ROUTES key \""
              + trimmed
              + "\" must be \"tenant\", \"tenant/environment\" or \"*/environment\"");
    }
    return trimmed;
  }

  private static URI url(String value, String key) {
    String where =
        key.equals("default")
            ? "DVO_TEAMS_WEBHOOK_URL"
            : "DVO_TEAMS_WEBHOOK_ROUTES[\"" + key + "\"]";
    URI uri;
    try {
      uri = URI.create(value.trim());
    } catch (IllegalArgumentException e) {
      throw new NotifyConfigException(where + " is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
      throw new NotifyConfigException(where + " must be an absolute https URL");
    }
    return uri;
  }
}
