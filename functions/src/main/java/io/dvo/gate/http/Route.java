package io.dvo.gate.http;

import java.util.Locale;
import java.util.Objects;

/**
 * One entry of the route table: method, path template (e.g. {@code
 * /api/v1/approvals/{tenant}/{id}}), the body it accepts, and its handler. Other packages add
 * routes by contributing {@code Route}s to {@link ApiRoutes}.
 *
 * @param summary one line for the docs page and logs
 */
public record Route(
    String method, String template, BodyType body, String summary, Handler handler) {
  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(handler, "handler");
    method = method.toUpperCase(Locale.ROOT);
    summary = summary == null ? "" : summary;
  }

  public static Route get(String template, String summary, Handler handler) {
    return new Route("GET", template, BodyType.NONE, summary, handler);
  }

  public static Route post(String template, String summary, Handler handler) {
    return new Route("POST", template, BodyType.JSON, summary, handler);
  }

  public static Route put(String template, String summary, Handler handler) {
    return new Route("PUT", template, BodyType.JSON, summary, handler);
  }

  public static Route delete(String template, String summary, Handler handler) {
    return new Route("DELETE", template, BodyType.NONE, summary, handler);
  }

  public static Route postForm(String template, String summary, Handler handler) {
    return new Route("POST", template, BodyType.FORM, summary, handler);
  }
}
