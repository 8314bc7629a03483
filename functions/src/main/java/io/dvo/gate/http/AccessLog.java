package io.dvo.gate.http;

import io.dvo.gate.identity.Principal;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per answered request, on logger {@code io.dvo.gate.access} through SLF4J: {@code
 * method}, {@code route} (the template, e.g. {@code /api/v1/approvals/{tenant}/{id}}, never the
 * concrete path, which may hold ids), {@code status}, {@code latency_ms}, {@code tenant}, {@code
 * principal} (the caller's id, when a handler established it), {@code request_id}, and {@code
 * request_id_replaced} when the caller's id was unusable. Built only from these fields: no header,
 * query, body or cookie ever reaches it, so no API key, token or session can be logged.
 *
 * <p>Locally the line is JSON (logback with {@code logging.JsonLineEncoder}); in Azure a host may
 * pass its own sink (the Functions logger) with {@link #line}.
 */
public final class AccessLog {
  static final Logger LOG = LoggerFactory.getLogger("io.dvo.gate.access");

  private AccessLog() {}

  /** The fields of one access line. */
  public record Line(
      String method,
      String route,
      int status,
      double latencyMillis,
      String tenant,
      String principal,
      String requestId,
      boolean requestIdReplaced) {

    /** The line as one JSON object (for sinks that take text, e.g. the Functions logger). */
    public String toJson() {
      java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
      json.put("message", "request");
      json.put("method", method);
      json.put("route", route);
      json.put("status", status);
      json.put("latency_ms", latencyMillis);
      json.put("tenant", tenant);
      json.put("principal", principal);
      json.put("request_id", requestId);
      if (requestIdReplaced) {
        json.put("request_id_replaced", true);
      }
      try {
        return io.dvo.gate.json.Json.mapper().writeValueAsString(json);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The default sink: SLF4J logger {@code io.dvo.gate.access} at INFO, fields as key-values. */
  public static final Consumer<Line> SLF4J =
      line -> {
        if (!LOG.isInfoEnabled()) {
          return;
        }
        var builder =
            LOG.atInfo()
                .addKeyValue("method", line.method())
                .addKeyValue("route", line.route())
                .addKeyValue("status", line.status())
                .addKeyValue("latency_ms", line.latencyMillis())
                .addKeyValue("tenant", line.tenant())
                .addKeyValue("principal", line.principal())
                .addKeyValue("request_id", line.requestId());
        if (line.requestIdReplaced()) {
          builder = builder.addKeyValue("request_id_replaced", true);
        }
        builder.log("request");
      };

  static Line line(
      HttpRequest request,
      String route,
      int status,
      long startNanos,
      Call call,
      RequestId requestId) {
    Principal principal = call == null ? null : call.principalIfKnown();
    double millis = Math.round((System.nanoTime() - startNanos) / 10_000.0) / 100.0;
    return new Line(
        request.method(),
        route,
        status,
        millis,
        call == null ? null : call.tenant(),
        principal == null ? null : principal.id(),
        requestId.value(),
        requestId.replaced());
  }
}
