package io.dvo.gate.review;

import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Call;
import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.http.Route;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.service.ApprovalService;
import io.dvo.gate.store.QuotaStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The review page's routes: {@code GET} shows, {@code POST} (an HTML form) decides. Both answer
 * HTML with the review security headers, refusals included: a person in a browser should never meet
 * a JSON problem document.
 */
public final class ReviewRoutes {
  public static final String TEMPLATE = ApiPaths.ROOT + ApiPaths.APPROVAL_REVIEW;

  private ReviewRoutes() {}

  /**
   * What the review page is configured with, read and parsed once at start by the caller.
   *
   * @param devMode development mode (DVO_DEV_MODE, as the gate's auth settings read it)
   * @param csrfSecret DVO_CSRF_SECRET (null: a random one in development mode)
   * @param zone the gate's time zone (DVO_TIME_ZONE)
   * @param loginPath DVO_LOGIN_PATH, or null
   */
  public record Config(boolean devMode, String csrfSecret, ZoneId zone, String loginPath) {}

  /** The routes, showing the live quota from {@code quotas} (null: the snapshot only). */
  public static List<Route> configured(
      Config config, ApprovalService approvals, QuotaStore quotas, Clock clock) {
    return configured(config, approvals, quotas, clock, ReviewRefusals.NONE);
  }

  /** As above, reporting the page's refusals to {@code refusals} (the audit trail). */
  public static List<Route> configured(
      Config config,
      ApprovalService approvals,
      QuotaStore quotas,
      Clock clock,
      ReviewRefusals refusals) {
    return configured(config, approvals, quotas, clock, refusals, ApprovalTrail.NONE);
  }

  /** As above, with the approval's audit events on the page from {@code trail}. */
  public static List<Route> configured(
      Config config,
      ApprovalService approvals,
      QuotaStore quotas,
      Clock clock,
      ReviewRefusals refusals,
      ApprovalTrail trail) {
    CsrfTokens csrf = CsrfTokens.fromSecret(config.csrfSecret(), config.devMode());
    ZoneId zoneId = config.zone() == null ? ZoneOffset.UTC : config.zone();
    return routes(
        new ReviewController(approvals, quotas, csrf, zoneId, clock, refusals, trail),
        loginPath(config.loginPath()));
  }

  public static List<Route> routes(ReviewController controller) {
    return routes(controller, null);
  }

  /**
   * @param loginPath where a browser without sign-in is sent (e.g. {@code /.auth/login/aad}), or
   *     null to answer 401 with a sign-in hint
   */
  public static List<Route> routes(ReviewController controller, String loginPath) {
    return List.of(
        Route.get(
            TEMPLATE,
            "Review page (HTML): the request, why it needs approval, votes, and the decision forms",
            call -> page(controller, call, false, loginPath)),
        Route.postForm(
            TEMPLATE,
            "Approve or reject from the review page (HTML form with a CSRF token)",
            call -> page(controller, call, true, null)));
  }

  private static HttpResponse page(
      ReviewController controller, Call call, boolean post, String loginPath) {
    ReviewResponse response;
    try {
      Principal who = call.principal();
      String tenant = call.path("tenant");
      String id = call.path("id");
      if (post) {
        boolean crossSite = "cross-site".equalsIgnoreCase(trim(call.header("Sec-Fetch-Site")));
        response = controller.decide(tenant, id, who, call.form(), crossSite, call.origin());
      } else {
        response = controller.show(tenant, id, who, call.origin());
      }
    } catch (ApiException e) {
      if (e.status() == 401 && loginPath != null) {
        return signIn(loginPath, call.request().path());
      }
      response =
          e.status() == 401
              ? controller.signInRequired(e.getMessage())
              : controller.problem(e.status(), e.getMessage());
    }
    return new HttpResponse(
        response.status(), response.headers(), response.html().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * 302 to the sign-in address, which brings the browser back to this review page afterwards. Only
   * a same-origin path is passed on, so the redirect can never send anyone to another site.
   */
  private static HttpResponse signIn(String loginPath, String reviewPath) {
    String back = reviewPath.startsWith("/") && !reviewPath.startsWith("//") ? reviewPath : "/";
    HttpResponse response =
        new HttpResponse(302, SecurityHeaders.all(), new byte[0])
            .withHeader(
                "Location",
                loginPath
                    + "?post_login_redirect_uri="
                    + URLEncoder.encode(back, StandardCharsets.UTF_8));
    return response;
  }

  /** The configured sign-in path, or null; anything but a same-origin path is a startup error. */
  public static String loginPath(String value) {
    String path = trim(value);
    if (path == null || path.isEmpty()) {
      return null;
    }
    if (!path.startsWith("/")
        || path.startsWith("//")
        || path.contains("\\")
        || path.contains("?")
        || path.contains("#")
        || path.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      throw new IllegalStateException(
          "DVO_LOGIN_PATH must be a path on this site without query, e.g. /.auth/login/aad, not '"
              + path
              + "'.");
    }
    return path;
  }

  private static String trim(String value) {
    return value == null ? null : value.trim();
  }
}
