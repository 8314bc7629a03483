package io.dvo.gate.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Headers;
import io.dvo.gate.http.HttpApi;
import io.dvo.gate.http.HttpLimits;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.http.auth.Authenticator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DVO_LOGIN_PATH: a browser without sign-in is sent to sign in and brought back to the page. */
class ReviewSignInRedirectTest {
  private static final String PAGE = "/api/v1/approvals/acme/apr-1/review";
  private static final Authenticator NOBODY =
      headers -> {
        throw ApiException.unauthorized("Sign-in required: nobody is signed in.");
      };

  @TempDir Path dir;
  private ReviewFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private HttpResponse call(String method, String loginPath) {
    fixture = fixture == null ? new ReviewFixture(dir) : fixture;
    HttpApi api =
        new HttpApi(ReviewRoutes.routes(fixture.controller, loginPath), NOBODY, HttpLimits.DEFAULT);
    Headers headers =
        method.equals("POST")
            ? Headers.of(Map.of("Content-Type", "application/x-www-form-urlencoded"))
            : Headers.empty();
    byte[] body = method.equals("POST") ? "action=approve".getBytes(StandardCharsets.UTF_8) : null;
    return api.handle(new HttpRequest(method, PAGE, Map.of(), headers, body, ""));
  }

  @Test
  void withALoginPathTheReviewPageRedirectsToSignInAndBack() {
    HttpResponse response = call("GET", "/.auth/login/aad");
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.header("Location"))
        .isEqualTo(
            "/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fv1%2Fapprovals%2Facme%2Fapr-1%2Freview");
    assertThat(response.header("Cache-Control")).isNotNull();
  }

  @Test
  void withoutALoginPathThePageIs401WithASignInHint() {
    HttpResponse response = call("GET", null);
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.bodyText()).contains("Sign-in required").contains("Sign in to the gate");
  }

  @Test
  void aFormPostWithoutSignInIsNotRedirected() {
    // the form's content would be lost on the way through sign-in; the page says what to do
    HttpResponse response = call("POST", "/.auth/login/aad");
    assertThat(response.status()).isEqualTo(401);
  }

  @Test
  void onlyASameOriginPathIsAcceptedAsLoginPath() {
    assertThat(ReviewRoutes.loginPath(" /.auth/login/aad ")).isEqualTo("/.auth/login/aad");
    assertThat(ReviewRoutes.loginPath(" ")).isNull();
    for (String bad :
        new String[] {"https://evil.example/login", "//evil.example", "/\\evil", "/a?b=c", "a"}) {
      assertThatThrownBy(() -> ReviewRoutes.loginPath(bad))
          .as(bad)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("DVO_LOGIN_PATH");
    }
  }
}
