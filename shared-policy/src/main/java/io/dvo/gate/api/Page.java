package io.dvo.gate.api;

import java.util.List;

/** One page of a listing; {@code continuation} is null on the last page. Opaque to callers. */
public record Page<T>(List<T> items, String continuation) {
  public Page {
    items = List.copyOf(items);
  }
}
