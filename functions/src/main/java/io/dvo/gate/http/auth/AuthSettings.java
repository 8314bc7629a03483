package io.dvo.gate.http.auth;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How identities are read.
 *
 * @param devMode accept the X-Dev-* bypass headers (local development only)
 * @param tenantClaim claim type listing the tenants a principal may act for
 * @param tenantMap principal id, e-mail or gate role → tenants ({@code *} for every tenant)
 * @param roleMap role value as issued by the identity provider (e.g. {@code Gate.Admin}) → gate
 *     role (e.g. {@code admin}); unmapped values are used as they are
 * @param apiKeys pipeline API keys accepted in {@code X-DVO-API-Key}
 * @param trustPrincipalHeader accept {@code X-MS-CLIENT-PRINCIPAL}: right behind App Service
 *     Authentication or a proxy that sets it and strips what clients send, a back door otherwise
 */
public record AuthSettings(
    boolean devMode,
    String tenantClaim,
    Map<String, List<String>> tenantMap,
    Map<String, String> roleMap,
    ApiKeys apiKeys,
    boolean trustPrincipalHeader) {
  public AuthSettings {
    Objects.requireNonNull(tenantClaim, "tenantClaim");
    tenantMap = tenantMap == null ? Map.of() : Map.copyOf(tenantMap);
    roleMap = roleMap == null ? Map.of() : Map.copyOf(roleMap);
    apiKeys = apiKeys == null ? ApiKeys.none() : apiKeys;
  }

  /** Trusting the principal header, as in Azure. */
  public AuthSettings(
      boolean devMode,
      String tenantClaim,
      Map<String, List<String>> tenantMap,
      Map<String, String> roleMap,
      ApiKeys apiKeys) {
    this(devMode, tenantClaim, tenantMap, roleMap, apiKeys, true);
  }

  /** Without API keys. */
  public AuthSettings(
      boolean devMode,
      String tenantClaim,
      Map<String, List<String>> tenantMap,
      Map<String, String> roleMap) {
    this(devMode, tenantClaim, tenantMap, roleMap, ApiKeys.none());
  }

  public static AuthSettings defaults() {
    return new AuthSettings(false, "dvo_tenants", Map.of(), Map.of());
  }
}
