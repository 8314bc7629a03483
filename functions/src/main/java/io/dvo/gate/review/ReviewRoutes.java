package io.dvo.gate.review;

import io.dvo.gate.approval.ApprovalService;
import io.dvo.gate.config.Setting;
import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Call;
import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.http.Route;
import io.dvo.gate.identity.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;

/**
 * The review page's routes: {@code GET} shows, {@code POST} (an HTML form) decides. Both answer
 * HTML with the review security headers, refusals included: a person in a browser should never meet
 * a JSON problem document.
 */
public final class ReviewRoutes {
  public static final String TEMPLATE = "/api/v1/approvals/{tenant}/{id}/review";

  private ReviewRoutes() {}

  /** The routes over a wired approval service, configured from the settings. */
  public static List<Route> fromSettings(
      Function<Setting, String> settings, ApprovalService approvals, Clock clock) {
    boolean devMode = "true".equalsIgnoreCase(trim(settings.apply(Setting.DVO_DEV_MODE)));
    CsrfTokens csrf = CsrfTokens.fromSecret(settings.apply(Setting.DVO_CSRF_SECRET), devMode);
    String zone = trim(settings.apply(Setting.DVO_TIME_ZONE));
    ZoneId zoneId = ZoneId.of(zone == null || zone.isEmpty() ? "UTC" : zone);
    return routes(new ReviewController(approvals, csrf, zoneId, clock));
  }

  public static List<Route> routes(ReviewController controller) {
    return List.of(
        Route.get(
            TEMPLATE,
            "Review page (HTML): the request, why it needs approval, votes, and the decision forms",
            call -> page(controller, call, false)),
        Route.postForm(
            TEMPLATE,
            "Approve or reject from the review page (HTML form with a CSRF token)",
            call -> page(controller, call, true)));
  }

  private static HttpResponse page(ReviewController controller, Call call, boolean post) {
    ReviewResponse response;
    try {
      Principal who = call.principal();
      String tenant = call.path("tenant");
      String id = call.path("id");
      if (post) {
        boolean crossSite = "cross-site".equalsIgnoreCase(trim(call.header("Sec-Fetch-Site")));
        response = controller.decide(tenant, id, who, call.form(), crossSite);
      } else {
        response = controller.show(tenant, id, who);
      }
    } catch (ApiException e) {
      response =
          e.status() == 401
              ? controller.signInRequired(e.getMessage())
              : controller.problem(e.status(), e.getMessage());
    }
    return new HttpResponse(
        response.status(), response.headers(), response.html().getBytes(StandardCharsets.UTF_8));
  }

  private static String trim(String value) {
    return value == null ? null : value.trim();
  }
}
