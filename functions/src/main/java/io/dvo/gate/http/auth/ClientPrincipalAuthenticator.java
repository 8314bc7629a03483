package io.dvo.gate.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Headers;
import io.dvo.gate.identity.Principal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the identity App Service Authentication puts in {@code X-MS-CLIENT-PRINCIPAL}: base64 of
 * {@code {"auth_typ", "claims":[{"typ","val"}], "name_typ", "role_typ"}}. The platform strips any
 * such header a client sends, so on Azure it can be trusted; elsewhere only behind a proxy that
 * does the same.
 *
 * <p>Roles are the claims of type {@code role_typ} and {@code roles}; tenants come from the
 * configured tenant claim (one claim per tenant, or a comma list) and the tenant map.
 */
public final class ClientPrincipalAuthenticator implements Authenticator {
  public static final String HEADER = "X-MS-CLIENT-PRINCIPAL";
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final List<String> ID_CLAIMS =
      List.of(
          "http://schemas.microsoft.com/identity/claims/objectidentifier",
          "oid",
          "sub",
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier");
  private static final List<String> EMAIL_CLAIMS =
      List.of(
          "preferred_username",
          "email",
          "upn",
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn");

  private final AuthSettings settings;

  public ClientPrincipalAuthenticator(AuthSettings settings) {
    this.settings = settings;
  }

  @Override
  public Principal authenticate(Headers headers) {
    String encoded = headers.get(HEADER);
    if (encoded == null || encoded.isBlank()) {
      throw ApiException.unauthorized(
          "Sign-in required: no "
              + HEADER
              + " header (App Service Authentication), and no "
              + ApiKeyAuthenticator.HEADER
              + " (pipelines).");
    }
    return parse(encoded.trim());
  }

  /** Parses one header value; 401 with a clear detail when it is not a readable principal. */
  public Principal parse(String encoded) {
    JsonNode root;
    try {
      byte[] json = Base64.getDecoder().decode(encoded);
      root = PLAIN.readTree(json);
    } catch (IllegalArgumentException e) {
      throw ApiException.unauthorized(
          AuthFailure.INVALID_PRINCIPAL_HEADER, HEADER + " is not valid base64.");
    } catch (IOException e) {
      throw ApiException.unauthorized(
          AuthFailure.INVALID_PRINCIPAL_HEADER, HEADER + " does not hold a JSON document.");
    }
    if (root == null || !root.isObject() || !root.path("claims").isArray()) {
      throw ApiException.unauthorized(
          AuthFailure.INVALID_PRINCIPAL_HEADER,
          HEADER + " must be a JSON object with a 'claims' array.");
    }
    String nameType = text(root, "name_typ");
    String roleType = text(root, "role_typ");
    List<String[]> claims = new ArrayList<>();
    for (JsonNode claim : root.get("claims")) {
      if (!claim.isObject() || !claim.path("typ").isTextual() || !claim.path("val").isTextual()) {
        throw ApiException.unauthorized(
            AuthFailure.INVALID_PRINCIPAL_HEADER,
            HEADER + " has a claim that is not {\"typ\": string, \"val\": string}.");
      }
      claims.add(new String[] {claim.get("typ").asText(), claim.get("val").asText()});
    }
    String id = first(claims, ID_CLAIMS);
    String email = first(claims, EMAIL_CLAIMS);
    String name = nameType == null ? null : first(claims, List.of(nameType));
    if (name == null) {
      name = first(claims, List.of("name"));
    }
    if (id == null) {
      id = email != null ? email : name;
    }
    if (id == null || id.isBlank()) {
      throw ApiException.unauthorized(
          AuthFailure.INVALID_PRINCIPAL_HEADER,
          HEADER + " names nobody: no object id, subject, e-mail or name claim.");
    }
    List<String> roles = new ArrayList<>();
    List<String> tenants = new ArrayList<>();
    for (String[] claim : claims) {
      if (claim[0].equals("roles") || (roleType != null && claim[0].equals(roleType))) {
        roles.add(claim[1]);
      }
      if (claim[0].equals(settings.tenantClaim())) {
        tenants.addAll(PersonMapping.commaList(claim[1]));
      }
    }
    return PersonMapping.person(settings, id, email, name, roles, tenants);
  }

  private static String text(JsonNode root, String field) {
    JsonNode value = root.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private static String first(List<String[]> claims, List<String> types) {
    for (String type : types) {
      for (String[] claim : claims) {
        if (claim[0].equals(type) && !claim[1].isBlank()) {
          return claim[1];
        }
      }
    }
    return null;
  }
}
