package io.dvo.gate.policy;

/**
 * What the tenant's calendar says about the moment of a decision, as policies see it: {@code
 * in_freeze}, {@code freeze.name} (absent outside a freeze) and {@code is_holiday}. Computed by
 * {@code io.dvo.gate.calendar.TenantCalendar#factsAt}.
 *
 * @param freezeName the (first, by name) freeze window the moment falls in, or null
 */
public record CalendarFacts(boolean inFreeze, String freezeName, boolean isHoliday) {
  /** No calendar, or nothing in it applies. */
  public static final CalendarFacts NONE = new CalendarFacts(false, null, false);

  public CalendarFacts {
    if (inFreeze != (freezeName != null)) {
      throw new IllegalArgumentException("a freeze has a name exactly when the moment is in one");
    }
  }
}
