package io.dvo.gate.api;

import java.util.Objects;

/**
 * A break-glass request: the caller asks the gate to let overridable rules be overridden by a
 * break-glass approval instead of denying. Validated by {@code GateRequestParser} (both parts
 * required, printable, bounded); see docs/break-glass.md.
 *
 * @param reason why the change cannot wait, for the approvers and the later review
 * @param ticket the incident or change ticket (an id or a link)
 */
public record Emergency(String reason, String ticket) {
  public Emergency {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(ticket, "ticket");
  }
}
