package io.dvo.gate.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The people and pipelines of the tests, signed in the way App Service Authentication does it
 * (X-MS-CLIENT-PRINCIPAL with a tenant claim), so the selected tenant (X-Tenant-Id) and the tenants
 * a principal may act for stay separate.
 */
public enum Identity {
  NONE(null, List.of(), null),
  /** A pipeline of the tenant that did not make the request. */
  CALLER("pipeline-2", List.of("gate_caller"), "demo"),
  /** Holds the role the test pack's approver group needs. */
  APPROVER("alice", List.of("release_manager"), "demo"),
  /** Signed in for the tenant, but with a role no group asks for. */
  WRONG_ROLE("sam", List.of("security"), "demo"),
  /** The pipeline that asked the gate (and so requested the approvals). */
  REQUESTER("pipeline-1", List.of("gate_caller"), "demo"),
  ADMIN("root", List.of("admin"), "demo"),
  /** Every role, but for another tenant. */
  OTHER_TENANT("eve", List.of("gate_caller", "release_manager", "security", "admin"), "other"),
  /** Administers the demo tenant's quota only. */
  TENANT_ADMIN("tina", List.of("tenant_admin"), "demo"),
  /** A second release manager (for two-person scenarios). */
  APPROVER_2("bob", List.of("release_manager"), "demo"),
  /** Incident commanders: the default break-glass approvers (two distinct ones are needed). */
  INCIDENT_COMMANDER("ivy", List.of("incident_commander"), "demo"),
  INCIDENT_COMMANDER_2("ian", List.of("incident_commander"), "demo"),
  /** Reads the demo tenant's audit trail, nothing else. */
  AUDITOR("audrey", List.of("auditor"), "demo");

  public final String user;
  public final List<String> roles;
  public final String tenant;

  Identity(String user, List<String> roles, String tenant) {
    this.user = user;
    this.roles = roles;
    this.tenant = tenant;
  }

  public Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    if (user == null) {
      return headers;
    }
    StringBuilder claims = new StringBuilder();
    claims.append("{\"typ\":\"oid\",\"val\":\"").append(user).append("\"}");
    claims.append(",{\"typ\":\"name\",\"val\":\"").append(user).append("\"}");
    claims
        .append(",{\"typ\":\"preferred_username\",\"val\":\"")
        .append(user)
        .append("@example.com\"}");
    for (String role : roles) {
      claims.append(",{\"typ\":\"roles\",\"val\":\"").append(role).append("\"}");
    }
    claims.append(",{\"typ\":\"dvo_tenants\",\"val\":\"").append(tenant).append("\"}");
    String json =
        "{\"auth_typ\":\"aad\",\"name_typ\":\"name\",\"role_typ\":\"roles\",\"claims\":["
            + claims
            + "]}";
    headers.put(
        "X-MS-CLIENT-PRINCIPAL",
        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    return headers;
  }
}
