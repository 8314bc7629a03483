package io.dvo.gate.client;

import java.util.List;

/**
 * An RFC 9457 problem document returned by the gate. {@code code} is the gate's machine-readable
 * error (e.g. an {@code ApprovalError} name); {@code errors} lists invalid fields of a 400.
 */
public record ProblemDetail(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String code,
    List<FieldError> errors)
    implements java.io.Serializable {
  public ProblemDetail {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }
}
