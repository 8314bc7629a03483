package io.dvo.gate.http;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The correlation id of one request: the caller's {@code X-Request-Id} when it is 1 to 128 safe
 * characters (letters, digits and {@code . _ ~ : / + = @ -}), else the trace id of a valid W3C
 * {@code traceparent}, else a fresh random id. Every answer echoes it in {@code X-Request-Id};
 * problem documents carry it as {@code request_id}; the access log line, OPA's decision log and
 * audit events record it. An id that breaks the rules is never used (nor logged): a fresh one
 * replaces it, and {@link #replaced()} says so.
 *
 * @param value the id
 * @param replaced true when the caller sent an X-Request-Id or traceparent that was not usable
 */
public record RequestId(String value, boolean replaced) {
  public static final String HEADER = "X-Request-Id";
  public static final String TRACEPARENT = "traceparent";

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._~:/+=@-]{1,128}");
  private static final Pattern TRACE_PARENT =
      Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String ZERO_TRACE = "0".repeat(32);

  /** The request id {@code headers} give, or a fresh one. */
  public static RequestId of(Headers headers) {
    String sent = headers.get(HEADER);
    if (sent != null && SAFE.matcher(sent).matches()) {
      return new RequestId(sent, false);
    }
    String trace = headers.get(TRACEPARENT);
    if (trace != null) {
      var match = TRACE_PARENT.matcher(trace.trim());
      if (match.matches() && !match.group(1).equals(ZERO_TRACE) && !trace.startsWith("ff")) {
        return new RequestId(match.group(1), sent != null);
      }
    }
    return new RequestId(UUID.randomUUID().toString(), sent != null || trace != null);
  }

  /** Whether {@code value} may be used as a request id as it is. */
  public static boolean isSafe(String value) {
    return value != null && SAFE.matcher(value).matches();
  }

  @Override
  public String toString() {
    return value;
  }

  /**
   * {@code response} with {@code request_id} added when it is a problem document ({@link HttpApi}
   * does this for every answer, so each problem names the request's correlation id), and the id
   * echoed in {@code X-Request-Id} on every answer.
   */
  static HttpResponse withRequestId(HttpResponse response, String requestId) {
    HttpResponse answer = response.withHeader(HEADER, requestId);
    String type = answer.header("Content-Type");
    if (type == null || !type.startsWith(HttpResponse.PROBLEM_JSON) || answer.body().length == 0) {
      return answer;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode tree =
          io.dvo.gate.json.Json.mapper().readTree(answer.body());
      if (!(tree instanceof com.fasterxml.jackson.databind.node.ObjectNode problem)
          || problem.has("request_id")) {
        return answer;
      }
      problem.put("request_id", requestId);
      return new HttpResponse(
          answer.status(),
          answer.headers(),
          io.dvo.gate.json.Json.mapper().writeValueAsBytes(problem));
    } catch (java.io.IOException e) {
      return answer; // not ours to repair; sent as the handler wrote it
    }
  }
}
