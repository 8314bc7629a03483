package io.dvo.gate.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document. {@code errors} lists validation problems (omitted when there are
 * none). {@code code} is always there for clients to branch on: an {@code ApprovalError} name for
 * approval refusals, else the problem type in snake case ({@code invalid_request}, {@code
 * malformed_json}, {@code unsupported_media_type}, {@code payload_too_large}, ...). Answers of
 * {@link HttpApi} also carry {@code request_id} ({@link #withRequestId}).
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors,
    String code) {
  public static final String TYPE_BASE = "https://dvo-gate.dev/problems/";

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
    code = code != null ? code : codeOf(type);
  }

  /** The machine code of a problem type: its last path segment in snake case. */
  static String codeOf(String type) {
    String slug = type == null ? "" : type.substring(type.lastIndexOf('/') + 1);
    return slug.isEmpty() ? "problem" : slug.replace('-', '_');
  }

  /** The JSON document, in the order RFC 9457 lists the members. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", type);
    json.put("title", title);
    json.put("status", status);
    json.put("detail", detail);
    if (instance != null) {
      json.put("instance", instance);
    }
    if (!errors.isEmpty()) {
      json.put("errors", errors);
    }
    json.put("code", code);
    return json;
  }

  /**
   * {@code response} with {@code request_id} added when it is a problem document ({@link HttpApi}
   * does this for every answer, so each problem names the request's correlation id), and the id
   * echoed in {@code X-Request-Id} on every answer.
   */
  static HttpResponse withRequestId(HttpResponse response, String requestId) {
    HttpResponse answer = response.withHeader(RequestId.HEADER, requestId);
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

  public Problem withInstance(String path) {
    return new Problem(type, title, status, detail, path, errors, code);
  }
}
