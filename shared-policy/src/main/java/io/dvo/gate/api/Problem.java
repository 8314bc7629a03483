package io.dvo.gate.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 9457 problem document ({@code application/problem+json}), as the gate sends it and its
 * clients read it. {@code errors} lists the invalid fields (omitted when there are none); {@code
 * code} is always there: one of {@link ErrorCode}'s wire names, for clients to branch on. Members a
 * client does not know (RFC 9457 extensions) are ignored when reading.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors,
    String code)
    implements java.io.Serializable {
  /** What every problem {@code type} of the gate starts with. */
  public static final String TYPE_BASE = "https://dvo-gate.dev/problems/";

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** A problem with {@code code}'s status, type and title. */
  public static Problem of(ErrorCode code, String detail, List<FieldError> errors) {
    return of(code, code.status(), code.title(), detail, errors);
  }

  /**
   * A problem with {@code code} and another title or status ({@link ErrorCode#HTTP_ERROR}: the
   * status makes the code, {@code http_431}).
   */
  public static Problem of(
      ErrorCode code, int status, String title, String detail, List<FieldError> errors) {
    Objects.requireNonNull(code, "code");
    boolean http = code == ErrorCode.HTTP_ERROR;
    return new Problem(
        TYPE_BASE + code.typeSlug() + (http ? status : ""),
        title,
        status,
        detail,
        null,
        errors,
        code.wireName() + (http ? status : ""));
  }

  /** The code as this version knows it; empty for a code from a newer gate (or none). */
  @JsonIgnore
  public Optional<ErrorCode> errorCode() {
    return ErrorCode.fromWire(code);
  }

  /** True when the gate sent {@code expected} as the code. */
  public boolean is(ErrorCode expected) {
    return errorCode().filter(expected::equals).isPresent();
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

  public Problem withInstance(String path) {
    return new Problem(type, title, status, detail, path, errors, code);
  }
}
