package io.dvo.gate.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document. {@code errors} lists validation problems; {@code code} names an
 * {@code ApprovalError} (or another machine-readable refusal). Both are omitted when absent.
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
    if (code != null) {
      json.put("code", code);
    }
    return json;
  }

  public Problem withInstance(String path) {
    return new Problem(type, title, status, detail, path, errors, code);
  }
}
