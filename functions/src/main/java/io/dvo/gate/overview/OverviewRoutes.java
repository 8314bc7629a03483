package io.dvo.gate.overview;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Call;
import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.http.Route;
import io.dvo.gate.review.ReviewResponse;
import io.dvo.gate.review.SecurityHeaders;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /}: the overview, as HTML with the pages' security headers, refusals included (a
 * person in a browser never meets a JSON problem document here).
 */
public final class OverviewRoutes {
  private OverviewRoutes() {}

  /**
   * @param loginPath where a browser without sign-in is sent, or null to answer 401 with a hint
   */
  public static List<Route> routes(OverviewController controller, String loginPath) {
    return List.of(
        Route.get(
            "/",
            "Overview (HTML): what waits for me, my requests, recent decisions; usage for admins",
            call -> page(controller, call, loginPath)));
  }

  private static HttpResponse page(OverviewController controller, Call call, String loginPath) {
    ReviewResponse response;
    try {
      response = controller.show(call.principal(), call.request().query());
    } catch (ApiException e) {
      if (e.status() == 401 && loginPath != null) {
        return new HttpResponse(302, SecurityHeaders.all(), new byte[0])
            .withHeader(
                "Location",
                loginPath
                    + "?post_login_redirect_uri="
                    + URLEncoder.encode("/", StandardCharsets.UTF_8));
      }
      response =
          e.status() == 401
              ? controller.signInRequired(e.getMessage())
              : controller.problem(e.status(), e.getMessage());
    }
    return new HttpResponse(
        response.status(), response.headers(), response.html().getBytes(StandardCharsets.UTF_8));
  }
}
