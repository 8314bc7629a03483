package io.dvo.gate.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.Problem;
import io.dvo.gate.http.Headers;
import io.dvo.gate.http.HttpApi;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Translates between the Functions host's request/response types and the transport-neutral API. */
final class FunctionsAdapter {
  private static final Logger LOG = Logger.getLogger(FunctionsAdapter.class.getName());

  private FunctionsAdapter() {}

  /**
   * The answer while the gate could not be wired (bad configuration, e.g. an unresolved Key Vault
   * reference): 503, fail closed. The cause names the setting; it goes to the function log, never
   * to the caller. The worker keeps its environment for the life of the process, so only a restart
   * (after fixing the setting) helps.
   */
  static HttpResponseMessage notStarted(
      HttpRequestMessage<Optional<String>> message, ExecutionContext context, Throwable failure) {
    String reason =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    (context == null ? LOG : context.getLogger())
        .log(Level.SEVERE, "DVO Policy Gate did not start: " + reason);
    String path = message.getUri() == null ? "/" : message.getUri().getRawPath();
    Problem problem =
        Problem.of(
                ErrorCode.NOT_STARTED,
                "The gate could not start, so nothing was decided (the gate fails closed). The"
                    + " operator finds the reason in the function log.",
                null)
            .withInstance(path);
    return respond(
        message,
        HttpResponse.json(503, problem.toJson())
            .withHeader("Content-Type", HttpResponse.PROBLEM_JSON)
            .withHeader("Retry-After", "30")
            .withHeader("Cache-Control", "no-store"));
  }

  static HttpResponseMessage handle(HttpApi api, HttpRequestMessage<Optional<String>> message) {
    return respond(message, api.handle(toHttpRequest(message)));
  }

  /**
   * As {@link #handle(HttpApi, HttpRequestMessage)}, with the access line (one JSON object) written
   * to the invocation's Functions logger, which Application Insights receives as a trace.
   */
  static HttpResponseMessage handle(
      HttpApi api, HttpRequestMessage<Optional<String>> message, ExecutionContext context) {
    if (context == null) {
      return handle(api, message);
    }
    Logger logger = context.getLogger();
    return handle(api.withAccessLog(line -> logger.info(line.toJson())), message);
  }

  private static HttpResponseMessage respond(
      HttpRequestMessage<Optional<String>> message, HttpResponse answer) {
    HttpResponseMessage.Builder builder =
        message.createResponseBuilder(HttpStatusType.custom(answer.status()));
    answer.headers().forEach(builder::header);
    if (answer.body().length > 0) {
      builder.body(new String(answer.body(), StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  static HttpRequest toHttpRequest(HttpRequestMessage<Optional<String>> message) {
    Optional<String> body = message.getBody() == null ? Optional.empty() : message.getBody();
    String path = message.getUri() == null ? "/" : message.getUri().getRawPath();
    return new HttpRequest(
        message.getHttpMethod() == null ? "GET" : message.getHttpMethod().name(),
        path == null || path.isEmpty() ? "/" : path,
        message.getQueryParameters(),
        Headers.of(message.getHeaders()),
        body.map(text -> text.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]),
        "");
  }
}
