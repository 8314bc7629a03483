package io.dvo.gate.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document. {@code errors} lists validation problems (omitted when there are
 * none). {@code code} is always there for clients to branch on: an {@code ApprovalError} name for
 * approval refusals, else the problem type in snake case ({@code invalid_request}, {@code
 * malformed_json}, {@code unsupported_media_type}, {@code payload_too_large}, ...).
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

  public Problem withInstance(String path) {
    return new Problem(type, title, status, detail, path, errors, code);
  }
}
