package io.dvo.gate.server;

import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Problem;
import io.dvo.gate.json.Json;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises before a request reaches the API (bad request line, headers too large, ...)
 * are answered as problem documents too, never as an HTML page with a stack trace.
 */
final class ProblemErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Object statusAttribute = request.getAttribute(ERROR_STATUS);
    int status = statusAttribute instanceof Integer code ? code : response.getStatus();
    if (status < 400) {
      status = 500;
    }
    String reason = HttpStatus.getMessage(status);
    Problem problem =
        Problem.of(
            ErrorCode.HTTP_ERROR,
            status,
            reason,
            status >= 500
                ? "The server could not handle the request."
                : "The request was refused by the HTTP layer: " + reason + ".",
            List.<FieldError>of());
    byte[] body = Json.mapper().writeValueAsBytes(problem.toJson());
    response.setStatus(status);
    response.getHeaders().put("Content-Type", "application/problem+json");
    response.getHeaders().put("Content-Length", String.valueOf(body.length));
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}
