package io.dvo.gate.http.auth;

import io.dvo.gate.http.Headers;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.identity.Principal;
import java.util.List;
import java.util.Optional;

/**
 * People's sign-in after the platform principal and API keys: each {@link PersonSignIn} in order
 * (authenticating proxy, then session cookie), then {@code fallback} (the development headers in
 * dev mode, else the refusal that says how to sign in).
 */
public final class PeopleAuthenticator implements Authenticator {
  private final List<PersonSignIn> ways;
  private final Authenticator fallback;

  public PeopleAuthenticator(List<PersonSignIn> ways, Authenticator fallback) {
    this.ways = List.copyOf(ways);
    this.fallback = fallback;
  }

  @Override
  public Principal authenticate(Headers headers) {
    return signIn(new HttpRequest("GET", "/", null, headers, null, "")).principal();
  }

  @Override
  public SignedIn signIn(HttpRequest request) {
    for (PersonSignIn way : ways) {
      Optional<SignedIn> person = way.authenticate(request);
      if (person.isPresent()) {
        return person.get();
      }
    }
    return fallback.signIn(request);
  }
}
