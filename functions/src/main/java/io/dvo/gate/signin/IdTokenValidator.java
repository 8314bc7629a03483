package io.dvo.gate.signin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks an ID token as OpenID Connect Core 3.1.3.7 asks, with nimbus-jose-jwt: the signature
 * against the provider's published keys (asymmetric algorithms it advertises only, never {@code
 * none} or HMAC), the issuer exactly, the gate's client id among the audiences (and as {@code azp}
 * when there are several), expiry and not-before with one minute of clock skew, and the nonce of
 * the sign-in this browser started.
 */
final class IdTokenValidator {
  static final int CLOCK_SKEW_SECONDS = 60;

  private final String issuer;
  private final String clientId;
  private final JWKSource<SecurityContext> keys;
  private final Set<JWSAlgorithm> algorithms;
  private final Clock clock;

  IdTokenValidator(
      String issuer,
      String clientId,
      JWKSource<SecurityContext> keys,
      Set<JWSAlgorithm> algorithms,
      Clock clock) {
    this.issuer = issuer;
    this.clientId = clientId;
    this.keys = keys;
    this.algorithms = Set.copyOf(algorithms);
    this.clock = clock;
    for (JWSAlgorithm algorithm : this.algorithms) {
      if (!OidcProvider.ASYMMETRIC.contains(algorithm)) {
        throw new IllegalArgumentException("not an asymmetric signature algorithm: " + algorithm);
      }
    }
  }

  /** The token's claims when everything checks out. */
  JWTClaimsSet validate(String idToken, String expectedNonce) throws SignInFailure {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    DefaultJWTClaimsVerifier<SecurityContext> verifier =
        new DefaultJWTClaimsVerifier<>(
            clientId,
            new JWTClaimsSet.Builder().issuer(issuer).claim("nonce", expectedNonce).build(),
            Set.of("sub", "iat", "exp")) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        };
    verifier.setMaxClockSkew(CLOCK_SKEW_SECONDS);
    processor.setJWTClaimsSetVerifier(verifier);
    JWTClaimsSet claims;
    try {
      claims = processor.process(idToken, null);
    } catch (ParseException e) {
      throw refused("is not a signed JWT");
    } catch (BadJWTException e) {
      throw refused(claimsProblem(e.getMessage()));
    } catch (BadJOSEException e) {
      throw refused("has a signature that does not verify with the provider's published keys");
    } catch (JOSEException e) {
      throw new SignInFailure(
          "The identity provider's keys could not be read to check the sign-in. Try again"
              + " shortly.",
          true);
    }
    List<String> audience = claims.getAudience();
    if (audience.size() > 1) {
      Object azp = claims.getClaim("azp");
      if (!clientId.equals(azp)) {
        throw refused("is meant for several parties and does not name this gate as azp");
      }
    }
    return claims;
  }

  /**
   * nimbus-jose-jwt's wording ("Expired JWT", "JWT aud claim rejected", "JWT nonce claim value
   * rejected", "JWT missing required claims: [sub]", ...) made into a reason; never a claim value.
   */
  static String claimsProblem(String message) {
    String text = message == null ? "" : message;
    if (text.startsWith("Expired JWT")) {
      return "has expired";
    }
    if (text.startsWith("JWT before use time")) {
      return "is not valid yet";
    }
    if (text.contains("aud claim")) {
      return "was issued for another application (audience)";
    }
    if (text.startsWith("JWT iss claim")) {
      return "was issued by another provider (issuer)";
    }
    if (text.startsWith("JWT nonce claim")) {
      return "does not carry the nonce of the sign-in this browser started";
    }
    if (text.startsWith("JWT missing required claims:")) {
      return "lacks required claims "
          + OidcProvider.printable(text.substring("JWT missing required claims:".length()).trim());
    }
    return "has claims that are not acceptable";
  }

  private static SignInFailure refused(String why) {
    return new SignInFailure(
        "The identity provider's answer was not accepted: the ID token "
            + why
            + ". Nothing was"
            + " signed in. Start again.",
        false);
  }
}
