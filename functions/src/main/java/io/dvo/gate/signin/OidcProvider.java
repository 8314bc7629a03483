package io.dvo.gate.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.logging.Logger;

/**
 * The gate's side of the OpenID Connect authorization code flow with one provider: discovery (read
 * on first use from {@code <issuer>/.well-known/openid-configuration} and kept; a failed read is
 * retried on the next sign-in), the authorization request (PKCE S256, state, nonce), the code
 * exchange at the token endpoint (client secret in HTTP Basic, or in the form when the provider
 * only takes that), and the ID token check ({@link IdTokenValidator}). The client secret is sent
 * only to the token endpoint and appears in no log or message.
 */
final class OidcProvider {
  private static final Logger LOG = Logger.getLogger(OidcProvider.class.getName());
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final int MAX_RESPONSE_BYTES = 1024 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** Signature algorithms accepted for ID tokens: asymmetric only, never "none" or HMAC. */
  static final Set<JWSAlgorithm> ASYMMETRIC =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512);

  /** What discovery told about the provider. */
  record Metadata(
      URI authorizationEndpoint,
      URI tokenEndpoint,
      URI jwksUri,
      URI endSessionEndpoint,
      boolean secretInForm,
      Set<JWSAlgorithm> algorithms) {}

  private final OidcSettings settings;
  private final Clock clock;
  private final HttpClient http;
  private volatile Metadata metadata;
  private volatile IdTokenValidator validator;

  OidcProvider(OidcSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  OidcSettings settings() {
    return settings;
  }

  /** The provider's metadata, read once; throws (and is retried next time) when unreachable. */
  Metadata metadata() throws SignInFailure {
    Metadata known = metadata;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (metadata == null) {
        Metadata read = discover();
        validator =
            new IdTokenValidator(
                settings.issuer(),
                settings.clientId(),
                jwks(read.jwksUri()),
                read.algorithms(),
                clock);
        metadata = read;
      }
      return metadata;
    }
  }

  /** Where the browser is sent to sign in. */
  URI authorizationRequest(PendingSignIn pending) throws SignInFailure {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", settings.clientId());
    query.put("redirect_uri", settings.redirectUri().toString());
    query.put("scope", String.join(" ", settings.scopes()));
    query.put("state", pending.state());
    query.put("nonce", pending.nonce());
    query.put("code_challenge", pending.codeChallenge());
    query.put("code_challenge_method", "S256");
    return withQuery(metadata().authorizationEndpoint(), query);
  }

  /** Where the browser is sent to end the provider's session too, or null when it has none. */
  URI endSessionRequest() {
    Metadata known = metadata;
    if (known == null || known.endSessionEndpoint() == null) {
      return null;
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("client_id", settings.clientId());
    query.put("post_logout_redirect_uri", settings.postLogoutRedirectUri().toString());
    return withQuery(known.endSessionEndpoint(), query);
  }

  /** Exchanges the authorization code and returns the validated ID token's claims. */
  JWTClaimsSet redeem(String code, PendingSignIn pending) throws SignInFailure {
    Metadata meta = metadata();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", settings.redirectUri().toString());
    form.put("code_verifier", pending.codeVerifier());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(meta.tokenEndpoint())
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json");
    if (meta.secretInForm()) {
      form.put("client_id", settings.clientId());
      form.put("client_secret", settings.clientSecret());
    } else {
      String credentials =
          formEncode(settings.clientId()) + ":" + formEncode(settings.clientSecret());
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    request.POST(HttpRequest.BodyPublishers.ofString(formBody(form)));
    Fetched answer = send(request.build(), "token endpoint");
    JsonNode body = answer.json();
    if (answer.status() != 200) {
      String error = body == null ? null : body.path("error").asText(null);
      throw new SignInFailure(
          "The identity provider refused to complete the sign-in"
              + (error == null ? " (HTTP " + answer.status() + ")" : " (" + printable(error) + ")")
              + ". Start again.",
          answer.status() >= 500);
    }
    if (body == null || !body.path("id_token").isTextual()) {
      throw new SignInFailure(
          "The identity provider's answer holds no ID token; is the scope 'openid' allowed for"
              + " this client?",
          false);
    }
    return validator.validate(body.get("id_token").asText(), pending.nonce());
  }

  private Metadata discover() throws SignInFailure {
    String base =
        settings.issuer().endsWith("/")
            ? settings.issuer().substring(0, settings.issuer().length() - 1)
            : settings.issuer();
    URI where = URI.create(base + "/.well-known/openid-configuration");
    Fetched answer =
        send(
            HttpRequest.newBuilder(where)
                .timeout(TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build(),
            "discovery document");
    JsonNode doc = answer.json();
    if (answer.status() != 200 || doc == null || !doc.isObject()) {
      throw unusable("its discovery document " + where + " answered HTTP " + answer.status());
    }
    if (!settings.issuer().equals(doc.path("issuer").asText(null))) {
      throw unusable(
          "its discovery document names the issuer '"
              + printable(doc.path("issuer").asText(""))
              + "', not DVO_OIDC_ISSUER '"
              + settings.issuer()
              + "'");
    }
    URI authorization = endpoint(doc, "authorization_endpoint", true);
    URI token = endpoint(doc, "token_endpoint", true);
    URI jwks = endpoint(doc, "jwks_uri", true);
    URI endSession = endpoint(doc, "end_session_endpoint", false);
    List<String> challenges = strings(doc, "code_challenge_methods_supported");
    if (!challenges.isEmpty() && !challenges.contains("S256")) {
      throw unusable("it does not support PKCE with S256 (code_challenge_methods_supported)");
    }
    List<String> methods = strings(doc, "token_endpoint_auth_methods_supported");
    boolean secretInForm =
        !methods.isEmpty()
            && !methods.contains("client_secret_basic")
            && methods.contains("client_secret_post");
    if (!methods.isEmpty() && !methods.contains("client_secret_basic") && !secretInForm) {
      throw unusable("its token endpoint takes neither client_secret_basic nor client_secret_post");
    }
    Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
    List<String> advertised = strings(doc, "id_token_signing_alg_values_supported");
    for (String name : advertised.isEmpty() ? List.of("RS256") : advertised) {
      JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
      if (ASYMMETRIC.contains(algorithm)) {
        algorithms.add(algorithm);
      }
    }
    if (algorithms.isEmpty()) {
      throw unusable(
          "it signs ID tokens only with "
              + printable(String.join(", ", advertised))
              + "; the gate accepts RS*, PS* and ES* signatures");
    }
    LOG.info(
        () ->
            "OpenID provider "
                + settings.issuer()
                + ": ID token algorithms "
                + algorithms
                + (endSession == null ? ", no end_session_endpoint" : ", end_session_endpoint"));
    return new Metadata(
        authorization, token, jwks, endSession, secretInForm, Set.copyOf(algorithms));
  }

  private JWKSource<SecurityContext> jwks(URI uri) throws SignInFailure {
    try {
      // Keys are cached and re-read (rate limited) when a token names a key not yet seen.
      return JWKSourceBuilder.<SecurityContext>create(
              uri.toURL(), new DefaultResourceRetriever(5000, 10000, MAX_RESPONSE_BYTES))
          .build();
    } catch (java.net.MalformedURLException e) {
      throw unusable("its jwks_uri is not a URL");
    }
  }

  private URI endpoint(JsonNode doc, String field, boolean required) throws SignInFailure {
    JsonNode value = doc.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw unusable("its discovery document has no " + field);
      }
      return null;
    }
    try {
      URI uri = OidcSettings.checkEndpoint(value.asText(), field);
      if (uri.getScheme().equals("http") && !settings.issuer().startsWith("http:")) {
        throw unusable("its " + field + " is plain http");
      }
      return uri;
    } catch (IllegalStateException e) {
      throw unusable("its " + field + " is not an https URL");
    }
  }

  private SignInFailure unusable(String why) {
    return new SignInFailure(
        "Sign-in is not available: the identity provider at "
            + settings.issuer()
            + " cannot be used ("
            + why
            + ").",
        true);
  }

  private record Fetched(int status, JsonNode json) {}

  private Fetched send(HttpRequest request, String what) throws SignInFailure {
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      // The exception's text may quote the URL; its type says enough.
      LOG.warning(
          () -> "OpenID provider " + what + " unreachable: " + e.getClass().getSimpleName());
      throw new SignInFailure(
          "The identity provider cannot be reached right now (its "
              + what
              + "). Try again shortly.",
          true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SignInFailure("The sign-in was interrupted. Try again.", true);
    }
    byte[] bytes;
    try (InputStream in = response.body()) {
      bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
    } catch (IOException e) {
      throw new SignInFailure(
          "The identity provider's answer could not be read (its " + what + "). Try again.", true);
    }
    if (bytes.length > MAX_RESPONSE_BYTES) {
      throw new SignInFailure(
          "The identity provider's answer is too large (its " + what + ").", true);
    }
    JsonNode json;
    try {
      json = PLAIN.readTree(bytes);
    } catch (IOException e) {
      json = null;
    }
    return new Fetched(response.statusCode(), json);
  }

  private static List<String> strings(JsonNode doc, String field) {
    List<String> values = new ArrayList<>();
    doc.path(field)
        .forEach(
            item -> {
              if (item.isTextual()) {
                values.add(item.asText());
              }
            });
    return values;
  }

  static URI withQuery(URI endpoint, Map<String, String> query) {
    String existing = endpoint.getRawQuery();
    String added = formBody(query);
    String base = endpoint.toString();
    return URI.create(base + (existing == null ? "?" : "&") + added);
  }

  private static String formBody(Map<String, String> fields) {
    StringJoiner body = new StringJoiner("&");
    fields.forEach((name, value) -> body.add(formEncode(name) + "=" + formEncode(value)));
    return body.toString();
  }

  private static String formEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A provider-supplied word, reduced to printable ASCII and cut short for a page. */
  static String printable(String value) {
    String cleaned = value.replaceAll("[^\\x20-\\x7e]", "?");
    return cleaned.length() > 120 ? cleaned.substring(0, 120) + "…" : cleaned;
  }
}
