package io.dvo.gate.http;

import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Problem;
import java.util.List;
import java.util.Map;

/**
 * A refusal a handler raises to answer with a problem document. It is control flow, not a failure:
 * no stack trace is captured and none is ever shown. Its {@link ErrorCode} gives the status, the
 * problem type and the machine code.
 */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, String> headers;
  private final io.dvo.gate.http.auth.AuthFailure authFailure;

  public ApiException(
      ErrorCode code, String detail, List<FieldError> errors, Map<String, String> headers) {
    this(code, code.title(), detail, errors, headers);
  }

  public ApiException(
      ErrorCode code,
      String title,
      String detail,
      List<FieldError> errors,
      Map<String, String> headers) {
    this(code, title, detail, errors, headers, null);
  }

  private ApiException(
      ErrorCode code,
      String title,
      String detail,
      List<FieldError> errors,
      Map<String, String> headers,
      io.dvo.gate.http.auth.AuthFailure authFailure) {
    super(detail, null, false, false);
    this.authFailure = authFailure;
    this.code = java.util.Objects.requireNonNull(code, "code");
    this.title = title;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(ErrorCode.INVALID_REQUEST, detail, null, null);
  }

  public static ApiException invalid(String detail, List<FieldError> errors) {
    return new ApiException(ErrorCode.INVALID_REQUEST, detail, errors, null);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(ErrorCode.UNAUTHENTICATED, detail, null, null);
  }

  /**
   * 401 for a presented credential that was refused; {@code why} goes to the audit trail, never to
   * the caller (the problem is the same as {@link #unauthorized}).
   */
  public static ApiException unauthorized(io.dvo.gate.http.auth.AuthFailure why, String detail) {
    ErrorCode code = ErrorCode.UNAUTHENTICATED;
    return new ApiException(code, code.title(), detail, null, null, why);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(ErrorCode.FORBIDDEN, detail, null, null);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(ErrorCode.NOT_FOUND, detail, null, null);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(ErrorCode.CONFLICT, detail, null, null);
  }

  public static ApiException preconditionFailed(String detail) {
    return new ApiException(ErrorCode.PRECONDITION_FAILED, detail, null, null);
  }

  public int status() {
    return code.status();
  }

  public ErrorCode code() {
    return code;
  }

  /** Why a presented credential was refused, for a 401 raised with one; else null. */
  public io.dvo.gate.http.auth.AuthFailure authFailure() {
    return authFailure;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public Problem toProblem(String instance) {
    return Problem.of(code, code.status(), title, getMessage(), errors).withInstance(instance);
  }
}
