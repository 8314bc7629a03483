package io.dvo.gate.identity;

import java.util.Objects;

/** A person or pipeline as recorded in history: requester, voter, canceller. */
public record Actor(String id, String email, String name) {
  public Actor {
    Objects.requireNonNull(id, "id");
    email = email == null ? "" : email;
    name = name == null ? "" : name;
  }

  /** Best human label: name, else e-mail, else id. */
  public String label() {
    if (!name.isBlank()) {
      return name;
    }
    return email.isBlank() ? id : email;
  }
}
