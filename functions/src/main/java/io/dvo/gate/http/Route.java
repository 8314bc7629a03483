package io.dvo.gate.http;

import java.util.Locale;
import java.util.Objects;

/**
 * One entry of the route table: method, path template (e.g. {@code
 * /api/v1/approvals/{tenant}/{id}}), the body it accepts, and its handler. Other packages add
 * routes by contributing {@code Route}s to the list {@code GateApp} hands to {@link HttpApi}.
 *
 * @param summary one line for the docs page and logs
 * @param blocking whether the handler may block (store calls, reading a body); a host with I/O
 *     threads runs the others (health, the documents) on them directly, so they answer even when
 *     every worker thread is busy
 */
public record Route(
    String method,
    String template,
    BodyType body,
    String summary,
    AsyncHandler handler,
    boolean blocking) {
  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(handler, "handler");
    method = method.toUpperCase(Locale.ROOT);
    summary = summary == null ? "" : summary;
  }

  public static Route get(String template, String summary, Handler handler) {
    return new Route("GET", template, BodyType.NONE, summary, AsyncHandler.of(handler), true);
  }

  /** A GET answered later without holding a thread while it waits (long polls). */
  public static Route getAsync(String template, String summary, AsyncHandler handler) {
    return new Route("GET", template, BodyType.NONE, summary, handler, true);
  }

  /** A GET answered from memory at once (no store, no body): it may run on an I/O thread. */
  public static Route getFromMemory(String template, String summary, Handler handler) {
    return new Route("GET", template, BodyType.NONE, summary, AsyncHandler.of(handler), false);
  }

  public static Route post(String template, String summary, Handler handler) {
    return new Route("POST", template, BodyType.JSON, summary, AsyncHandler.of(handler), true);
  }

  public static Route put(String template, String summary, Handler handler) {
    return new Route("PUT", template, BodyType.JSON, summary, AsyncHandler.of(handler), true);
  }

  public static Route delete(String template, String summary, Handler handler) {
    return new Route("DELETE", template, BodyType.NONE, summary, AsyncHandler.of(handler), true);
  }

  public static Route postForm(String template, String summary, Handler handler) {
    return new Route("POST", template, BodyType.FORM, summary, AsyncHandler.of(handler), true);
  }
}
