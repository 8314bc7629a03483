package io.dvo.gate.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.dvo.gate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ID tokens are accepted only when signed by the provider's key and meant for this sign-in. */
class IdTokenValidatorTest {
  private static final String ISSUER = "https://id.example.com";
  private static final String CLIENT = "gate-client";
  private static final String NONCE = "n-0S6_WzA2Mj";
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private static RSAKey providerKey;
  private static RSAKey otherKey;
  private final MutableClock clock = new MutableClock(NOW);

  @BeforeAll
  static void keys() throws Exception {
    providerKey = new RSAKeyGenerator(2048).keyID("provider-1").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("provider-1").generate();
  }

  private IdTokenValidator validator() {
    return new IdTokenValidator(
        ISSUER,
        CLIENT,
        new ImmutableJWKSet<SecurityContext>(new JWKSet(providerKey.toPublicJWK())),
        Set.of(JWSAlgorithm.RS256),
        clock);
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("anna")
        .audience(CLIENT)
        .issueTime(Date.from(NOW.minusSeconds(5)))
        .expirationTime(Date.from(NOW.plus(Duration.ofMinutes(10))))
        .claim("nonce", NONCE)
        .claim("roles", List.of("Gate.Release"));
  }

  private static String signed(RSAKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static String signed(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
    return signed(providerKey, change.apply(claims()).build());
  }

  private void refused(String token, String reason) {
    assertThatThrownBy(() -> validator().validate(token, NONCE))
        .isInstanceOf(SignInFailure.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((SignInFailure) e).providerDown()).isFalse());
  }

  @Test
  void aTokenSignedByTheProviderForThisSignInIsAccepted() throws Exception {
    JWTClaimsSet accepted = validator().validate(signed(b -> b), NONCE);
    assertThat(accepted.getSubject()).isEqualTo("anna");
    assertThat(accepted.getStringListClaim("roles")).containsExactly("Gate.Release");
  }

  @Test
  void aTamperedTokenIsRefused() throws Exception {
    String token = signed(b -> b);
    String[] parts = token.split("\\.");
    String forgedClaims =
        Base64URL.encode(claims().claim("roles", List.of("Gate.Admin")).build().toString())
            .toString();
    refused(parts[0] + "." + forgedClaims + "." + parts[2], "signature that does not verify");
  }

  @Test
  void aTokenSignedWithAnotherKeyOfTheSameIdIsRefused() throws Exception {
    refused(signed(otherKey, claims().build()), "signature that does not verify");
  }

  @Test
  void anUnsignedOrHmacSignedTokenIsRefused() throws Exception {
    refused(new PlainJWT(claims().build()).serialize(), "signature that does not verify");
    SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
    hmac.sign(new MACSigner("a-shared-secret-of-at-least-32-bytes!!"));
    refused(hmac.serialize(), "signature that does not verify");
  }

  @Test
  void anExpiredTokenIsRefusedBeyondTheClockSkew() throws Exception {
    String token =
        signed(
            b ->
                b.issueTime(Date.from(NOW.minus(Duration.ofHours(2))))
                    .expirationTime(Date.from(NOW.minusSeconds(61))));
    refused(token, "has expired");
    // within a minute of skew the same token still counts
    clock.advance(Duration.ofSeconds(-30));
    assertThat(validator().validate(token, NONCE).getSubject()).isEqualTo("anna");
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() throws Exception {
    refused(signed(b -> b.audience("another-app")), "another application (audience)");
  }

  @Test
  void severalAudiencesNeedThisGateAsAuthorisedParty() throws Exception {
    refused(signed(b -> b.audience(List.of(CLIENT, "another-app"))), "azp");
    String named = signed(b -> b.audience(List.of(CLIENT, "another-app")).claim("azp", CLIENT));
    assertThat(validator().validate(named, NONCE).getSubject()).isEqualTo("anna");
  }

  @Test
  void aTokenFromAnotherIssuerIsRefused() throws Exception {
    refused(signed(b -> b.issuer("https://evil.example.com")), "another provider (issuer)");
  }

  @Test
  void aTokenWithAnotherSignInsNonceIsRefused() throws Exception {
    // the ID token of an earlier sign-in, replayed into a new one
    refused(signed(b -> b.claim("nonce", "nonce-of-another-sign-in")), "nonce");
    refused(signed(b -> b.claim("nonce", null)), "nonce");
  }

  @Test
  void aTokenWithoutSubjectIsRefused() throws Exception {
    refused(signed(b -> b.subject(null)), "lacks required claims");
  }

  @Test
  void garbageIsRefused() {
    refused("not-a-jwt", "is not a signed JWT");
  }

  @Test
  void onlyAsymmetricAlgorithmsCanBeConfigured() {
    assertThatThrownBy(
            () ->
                new IdTokenValidator(
                    ISSUER,
                    CLIENT,
                    new ImmutableJWKSet<>(new JWKSet()),
                    Set.of(JWSAlgorithm.HS256),
                    clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
