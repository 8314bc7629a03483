package io.dvo.gate.store;

import java.util.Objects;

/** A stored value with the version tag (ETag) that a conditional write must present. */
public record Versioned<T>(T value, String etag) {
  public Versioned {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(etag, "etag");
  }
}
