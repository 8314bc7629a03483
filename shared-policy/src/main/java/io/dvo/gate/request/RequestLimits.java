package io.dvo.gate.request;

/** Size limits of a gate request; each one is reported with its path when exceeded. */
public final class RequestLimits {
  public static final int MAX_STRING_LENGTH = 2048;
  public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 512;
  public static final int MAX_STEPS = 500;
  public static final int MAX_TARGETS_PER_STEP = 1000;
  public static final int MAX_SCOPE_ENTRIES = 100;

  /** Largest estimate accepted, per step and per run: keeps all sums far from overflow. */
  public static final long MAX_ESTIMATE = 1_000_000_000_000L;

  /** Nesting depth of attribute values below {@code attributes} (an object at depth 1). */
  public static final int MAX_ATTRIBUTE_DEPTH = 8;

  /** Total values (objects, arrays, scalars) below {@code attributes}. */
  public static final int MAX_ATTRIBUTE_VALUES = 1000;

  public static final int MAX_ATTRIBUTE_KEY_LENGTH = 128;

  /** Initiator id (a CI user id, an object id, an e-mail used as id). */
  public static final int MAX_INITIATOR_ID_LENGTH = 256;

  /** An e-mail address (RFC 5321 path limit). */
  public static final int MAX_EMAIL_LENGTH = 254;

  public static final int MAX_DISPLAY_NAME_LENGTH = 256;

  /** An emergency's reason (shown to the break-glass approvers). */
  public static final int MAX_EMERGENCY_REASON_LENGTH = 1000;

  /** An emergency's ticket (an id or a link). */
  public static final int MAX_EMERGENCY_TICKET_LENGTH = 256;

  private RequestLimits() {}
}
