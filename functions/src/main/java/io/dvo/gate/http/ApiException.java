package io.dvo.gate.http;

import java.util.List;
import java.util.Map;

/**
 * A refusal a handler raises to answer with a problem document. It is control flow, not a failure:
 * no stack trace is captured and none is ever shown.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String slug;
  private final String title;
  private final List<FieldError> errors;
  private final String code;
  private final Map<String, String> headers;

  public ApiException(
      int status,
      String slug,
      String title,
      String detail,
      List<FieldError> errors,
      String code,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.code = code;
    this.headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "invalid-request", "Invalid request", detail, null, null, null);
  }

  public static ApiException invalid(String detail, List<FieldError> errors) {
    return new ApiException(400, "invalid-request", "Invalid request", detail, errors, null, null);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, "unauthenticated", "Not signed in", detail, null, null, Map.of());
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "forbidden", "Not allowed", detail, null, null, null);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "Not found", detail, null, null, null);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", "Conflict", detail, null, null, null);
  }

  public static ApiException preconditionFailed(String detail) {
    return new ApiException(
        412, "precondition-failed", "Precondition failed", detail, null, null, null);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public Problem toProblem(String instance) {
    return new Problem(
        Problem.TYPE_BASE + slug, title, status, getMessage(), instance, errors, code);
  }
}
