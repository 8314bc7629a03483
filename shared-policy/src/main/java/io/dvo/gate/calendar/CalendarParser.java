package io.dvo.gate.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.input.Checked;
import io.dvo.gate.input.JsonShape;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a tenant calendar from an admin API body, or reports every problem at once with its JSON
 * path. Zones are IANA region ids ({@code Europe/London}) or {@code UTC}; times are local ISO
 * date-times without offset ({@code 2026-12-20T00:00}); dates are ISO dates. See docs/calendars.md.
 */
public final class CalendarParser {
  private static final List<String> TOP = List.of("tenant_id", "time_zone", "freezes", "holidays");
  private static final List<String> FREEZE = List.of("name", "start", "end", "zone", "repeat");
  private static final List<String> HOLIDAY = List.of("date", "name", "yearly");
  private static final List<String> YEARLY = List.of("month", "day", "weekday", "nth");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._:()'/-]{0,127}");
  private static final String NAME_RULE =
      "must be 1 to 128 characters: letters, digits, spaces and . _ : ( ) ' / -, starting with a"
          + " letter or digit";

  private final List<FieldError> violations = new ArrayList<>();

  private CalendarParser() {}

  /** Parses {@code body} as the calendar of {@code tenantId} (a body tenant_id must match). */
  public static Checked<TenantCalendar, FieldError> parse(JsonNode body, String tenantId) {
    return new CalendarParser().parseBody(body, tenantId);
  }

  /** A zone id, or null when {@code text} names none (offsets like +02:00 are refused too). */
  public static ZoneId zone(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    if (text.equals("UTC")) {
      return ZoneId.of("UTC");
    }
    if (!text.contains("/") || !ZoneId.getAvailableZoneIds().contains(text)) {
      return null;
    }
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private Checked<TenantCalendar, FieldError> parseBody(JsonNode body, String tenantId) {
    if (body == null || !body.isObject()) {
      add("$", "expected a JSON object with time_zone, freezes, holidays");
      return Checked.invalid(violations);
    }
    known(body, "$", TOP);
    JsonNode tenant = present(body, "tenant_id");
    if (tenant != null && !(tenant.isTextual() && tenant.asText().equals(tenantId))) {
      add("$.tenant_id", "must equal the tenant in the path ('" + tenantId + "')");
    }
    ZoneId zone = null;
    String zoneText = text(body, "$", "time_zone", false);
    if (zoneText != null) {
      zone = zone(zoneText);
      if (zone == null) {
        add("$.time_zone", zoneRule(zoneText));
      }
    }
    List<FreezeWindow> freezes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    JsonNode list = array(body, "freezes");
    for (int i = 0; list != null && i < list.size(); i++) {
      FreezeWindow freeze = freeze(list.get(i), "$.freezes[" + i + "]");
      if (freeze != null) {
        if (!names.add(freeze.name().toLowerCase(Locale.ROOT))) {
          add("$.freezes[" + i + "].name", "duplicate freeze name '" + freeze.name() + "'");
        }
        freezes.add(freeze);
      }
    }
    List<Holiday> holidays = new ArrayList<>();
    Set<Object> dates = new HashSet<>();
    JsonNode days = array(body, "holidays");
    for (int i = 0; days != null && i < days.size(); i++) {
      Holiday holiday = holiday(days.get(i), "$.holidays[" + i + "]");
      if (holiday != null) {
        if (holiday.date() != null && !dates.add(holiday.date())) {
          add("$.holidays[" + i + "].date", "duplicate holiday date " + holiday.date());
        }
        if (holiday.yearly() != null && !dates.add(holiday.yearly())) {
          add("$.holidays[" + i + "].yearly", "duplicate yearly holiday rule");
        }
        holidays.add(holiday);
      }
    }
    if (!violations.isEmpty()) {
      return Checked.invalid(violations);
    }
    return Checked.valid(new TenantCalendar(tenantId, zone, freezes, holidays));
  }

  private FreezeWindow freeze(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      add(path, "expected an object with name, start, end, zone, repeat");
      return null;
    }
    int before = violations.size();
    known(node, path, FREEZE);
    String name = name(node, path);
    LocalDateTime start = dateTime(node, path, "start");
    LocalDateTime end = dateTime(node, path, "end");
    ZoneId zone = null;
    String zoneText = text(node, path, "zone", false);
    if (zoneText != null) {
      zone = zone(zoneText);
      if (zone == null) {
        add(path + ".zone", zoneRule(zoneText));
      }
    }
    Repeat repeat = Repeat.NONE;
    String repeatText = text(node, path, "repeat", false);
    if (repeatText != null) {
      switch (repeatText) {
        case "none" -> repeat = Repeat.NONE;
        case "weekly" -> repeat = Repeat.WEEKLY;
        case "yearly" -> repeat = Repeat.YEARLY;
        default ->
            add(path + ".repeat", "must be none, weekly or yearly, got '" + repeatText + "'");
      }
    }
    if (start != null && end != null) {
      if (!end.isAfter(start)) {
        add(path + ".end", "must be after start (" + start + ")");
      } else if (repeat == Repeat.WEEKLY && Duration.between(start, end).toDays() >= 7) {
        add(path + ".end", "a weekly freeze must be shorter than a week");
      } else if (repeat == Repeat.YEARLY && !end.isBefore(start.plusYears(1))) {
        add(path + ".end", "a yearly freeze must be shorter than a year");
      }
    }
    if (violations.size() > before) {
      return null;
    }
    return new FreezeWindow(name, start, end, zone, repeat);
  }

  private Holiday holiday(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      add(path, "expected an object with name and date or yearly");
      return null;
    }
    int before = violations.size();
    known(node, path, HOLIDAY);
    String name = name(node, path);
    boolean hasDate = present(node, "date") != null;
    boolean hasYearly = present(node, "yearly") != null;
    if (hasDate == hasYearly) {
      add(
          path + (hasDate ? ".yearly" : ".date"),
          hasDate
              ? "a holiday has a date or a yearly rule, not both"
              : "required: a date (YYYY-MM-DD) or a yearly rule");
      return null;
    }
    LocalDate date = null;
    YearlyRule yearly = null;
    if (hasDate) {
      String text = text(node, path, "date", true);
      if (text != null) {
        try {
          date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
          add(path + ".date", "expected a date as YYYY-MM-DD, got '" + text + "'");
        }
      }
    } else {
      yearly = yearly(node.get("yearly"), path + ".yearly");
    }
    return violations.size() > before ? null : new Holiday(date, name, yearly);
  }

  /**
   * A yearly rule: {@code "12-25"}, {@code {"month": 12, "day": 25}} or {@code {"month": 11,
   * "weekday": "thursday", "nth": 4}} ({@code nth} -1: the last).
   */
  private YearlyRule yearly(JsonNode node, String path) {
    try {
      if (node.isTextual()) {
        return YearlyRule.monthDay(node.asText());
      }
      if (!node.isObject()) {
        add(
            path,
            "expected MM-DD such as 12-25, or an object with month and day or weekday and nth");
        return null;
      }
      int before = violations.size();
      known(node, path, YEARLY);
      Integer month = whole(node, path, "month", true);
      Integer day = whole(node, path, "day", false);
      String weekday = text(node, path, "weekday", false);
      Integer nth = whole(node, path, "nth", false);
      if (violations.size() > before || month == null) {
        return null;
      }
      return new YearlyRule(month, day, weekday, nth);
    } catch (IllegalArgumentException e) {
      add(path, e.getMessage());
      return null;
    }
  }

  private Integer whole(JsonNode node, String path, String field, boolean required) {
    JsonNode value = present(node, field);
    if (value == null) {
      if (required) {
        add(path + "." + field, "required");
      }
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      add(path + "." + field, "expected a whole number");
      return null;
    }
    return value.intValue();
  }

  private String name(JsonNode node, String path) {
    String name = text(node, path, "name", true);
    if (name != null && !NAME.matcher(name).matches()) {
      add(path + ".name", NAME_RULE);
      return null;
    }
    return name;
  }

  private LocalDateTime dateTime(JsonNode node, String path, String field) {
    String text = text(node, path, field, true);
    if (text == null) {
      return null;
    }
    try {
      return LocalDateTime.parse(text);
    } catch (DateTimeParseException e) {
      add(
          path + "." + field,
          "expected a local date-time as YYYY-MM-DDTHH:MM (no offset; the zone says where), got '"
              + text
              + "'");
      return null;
    }
  }

  private static String zoneRule(String text) {
    return "expected an IANA time zone such as Europe/London, or UTC; got '" + text + "'";
  }

  private JsonNode array(JsonNode body, String field) {
    JsonNode node = present(body, field);
    if (node == null) {
      return null;
    }
    if (!node.isArray()) {
      add("$." + field, "expected a list");
      return null;
    }
    if (node.size() > TenantCalendar.MAX_ENTRIES) {
      add("$." + field, "too many entries (at most " + TenantCalendar.MAX_ENTRIES + ")");
      return null;
    }
    return node;
  }

  private String text(JsonNode node, String path, String field, boolean required) {
    JsonNode value = present(node, field);
    if (value == null) {
      if (required) {
        add(path + "." + field, "required");
      }
      return null;
    }
    if (!value.isTextual()) {
      add(path + "." + field, "expected a string");
      return null;
    }
    String text = value.asText();
    if (text.length() > 256 || text.chars().anyMatch(Character::isISOControl)) {
      add(path + "." + field, "must be at most 256 printable characters");
      return null;
    }
    return text;
  }

  private void known(JsonNode node, String path, List<String> fields) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!fields.contains(name)) {
        add(JsonShape.member(path, name), JsonShape.unknownField(name, fields));
      }
    }
  }

  private static JsonNode present(JsonNode parent, String name) {
    JsonNode node = parent.get(name);
    return node == null || node.isNull() ? null : node;
  }

  private void add(String path, String message) {
    violations.add(new FieldError(path, message));
  }
}
