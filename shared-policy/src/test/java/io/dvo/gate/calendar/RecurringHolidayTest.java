package io.dvo.gate.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.FieldError;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Holidays that recur every year: on a month and day, or on the nth weekday of a month. */
class RecurringHolidayTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  private static Checked<TenantCalendar, FieldError> parse(String json) throws Exception {
    return CalendarParser.parse(Json.mapper().readTree(json), "acme");
  }

  private static TenantCalendar valid(String json) throws Exception {
    Checked<TenantCalendar, FieldError> r = parse(json);
    assertThat(r.problems()).isEmpty();
    return r.value();
  }

  private static boolean holidayAt(TenantCalendar c, String instant) {
    return c.factsAt(Instant.parse(instant), c.zoneOr(LONDON)).isHoliday();
  }

  @Test
  void aYearlyMonthDayIsAHolidayEveryYearInTheTenantsZone() throws Exception {
    TenantCalendar c =
        valid(
            """
            {"time_zone":"Asia/Tokyo","holidays":[{"yearly":"12-25","name":"Christmas Day"}]}""");

    assertThat(holidayAt(c, "2026-12-24T15:00:00Z")).isTrue(); // 00:00 on the 25th in Tokyo
    assertThat(holidayAt(c, "2031-12-25T14:59:59Z")).isTrue();
    assertThat(holidayAt(c, "2019-12-25T03:00:00Z")).isTrue();
    assertThat(holidayAt(c, "2026-12-25T15:00:00Z")).isFalse(); // the 26th in Tokyo
    assertThat(holidayAt(c, "2026-11-25T03:00:00Z")).isFalse();
  }

  @Test
  void theNthOrLastWeekdayOfAMonthIsAHoliday() throws Exception {
    TenantCalendar c =
        valid(
            """
            {"time_zone":"America/New_York","holidays":[
              {"yearly":{"month":11,"weekday":"thursday","nth":4},"name":"Thanksgiving"},
              {"yearly":{"month":5,"weekday":"Monday","nth":-1},"name":"Memorial Day"}]}""");

    // Thanksgiving: 2026-11-26, 2027-11-25 (4th Thursdays); not the 5th Thursday of 2026-11.
    assertThat(holidayAt(c, "2026-11-26T17:00:00Z")).isTrue();
    assertThat(holidayAt(c, "2027-11-25T17:00:00Z")).isTrue();
    assertThat(holidayAt(c, "2026-11-19T17:00:00Z")).isFalse();
    // Memorial Day: the last Monday of May, 2026-05-25 and 2027-05-31.
    assertThat(holidayAt(c, "2026-05-25T17:00:00Z")).isTrue();
    assertThat(holidayAt(c, "2027-05-31T17:00:00Z")).isTrue();
    assertThat(holidayAt(c, "2027-05-24T17:00:00Z")).isFalse();
    // Weekday names are stored in lower case.
    assertThat(c.holidays().get(1).yearly().weekday()).isEqualTo("monday");
  }

  @Test
  void theTwentyNinthOfFebruaryIsAHolidayInLeapYearsOnly() {
    YearlyRule leap = YearlyRule.monthDay("02-29");

    assertThat(leap.fallsOn(LocalDate.parse("2028-02-29"))).isTrue();
    assertThat(leap.fallsOn(LocalDate.parse("2027-02-28"))).isFalse();
    assertThat(leap.fallsOn(LocalDate.parse("2027-03-01"))).isFalse();
  }

  @Test
  void everyBadRuleIsReportedWithItsPath() throws Exception {
    Checked<TenantCalendar, FieldError> r =
        parse(
            """
            {"holidays":[
              {"yearly":"25-12","name":"a"},
              {"yearly":{"month":2,"day":30},"name":"b"},
              {"yearly":{"month":11,"weekday":"thursday","nth":6},"name":"c"},
              {"yearly":{"month":11,"weekday":"funday","nth":1},"name":"d"},
              {"yearly":{"month":11,"day":3,"weekday":"monday","nth":1},"name":"e"},
              {"date":"2026-12-25","yearly":"12-25","name":"f"},
              {"name":"g"},
              {"yearly":{"month":"may","day":1,"colour":"red"},"name":"h"},
              {"yearly":"01-01","name":"i"},
              {"yearly":{"month":1,"day":1},"name":"j"}]}""");

    assertThat(r.value()).isNull();
    assertThat(r.problems())
        .extracting(FieldError::path)
        .containsExactly(
            "$.holidays[0].yearly",
            "$.holidays[1].yearly",
            "$.holidays[2].yearly",
            "$.holidays[3].yearly",
            "$.holidays[4].yearly",
            "$.holidays[5].yearly",
            "$.holidays[6].date",
            "$.holidays[7].yearly.colour",
            "$.holidays[7].yearly.month",
            "$.holidays[9].yearly");
    assertThat(r.describe())
        .contains("day must be 1 to 29 in month 2, not 30")
        .contains("nth must be 1 to 5, or -1 for the last, not 6")
        .contains("weekday must be monday, tuesday, ..., sunday, not 'funday'")
        .contains("duplicate yearly holiday rule")
        .contains("month must be 1 to 12, not 25");
  }

  @Test
  void theStoredFormRoundTripsAndOneOffHolidaysKeepTheirForm() throws Exception {
    TenantCalendar c =
        valid(
            """
            {"holidays":[{"date":"2026-12-24","name":"Christmas Eve"},
              {"yearly":"12-25","name":"Christmas Day"},
              {"yearly":{"month":11,"weekday":"thursday","nth":4},"name":"Thanksgiving"}]}""");

    String json = Json.mapper().writeValueAsString(c);

    assertThat(Json.mapper().readValue(json, TenantCalendar.class)).isEqualTo(c);
    assertThat(json)
        .contains("{\"date\":\"2026-12-24\",\"name\":\"Christmas Eve\"}")
        .contains("{\"name\":\"Christmas Day\",\"yearly\":{\"month\":12,\"day\":25}}")
        .contains("\"yearly\":{\"month\":11,\"weekday\":\"thursday\",\"nth\":4}");
    // What GET answers can be sent back with PUT.
    assertThat(valid(json).holidays()).isEqualTo(c.holidays());
    // A stored holiday from before yearly rules reads as before.
    assertThat(
            Json.mapper()
                .readValue(
                    "{\"tenant_id\":\"acme\",\"holidays\":[{\"date\":\"2026-12-25\",\"name\":\"X\"}]}",
                    TenantCalendar.class)
                .holidays())
        .containsExactly(new Holiday(LocalDate.parse("2026-12-25"), "X"));
  }
}
