package io.dvo.gate.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.CalendarFacts;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TenantCalendarTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  private static TenantCalendar parse(String json) throws Exception {
    Checked<TenantCalendar, FieldError> result =
        CalendarParser.parse(Json.mapper().readTree(json), "acme");
    assertThat(result.problems()).isEmpty();
    return result.value();
  }

  private static Checked<TenantCalendar, FieldError> parseInvalid(String json) throws Exception {
    JsonNode node = Json.mapper().readTree(json);
    Checked<TenantCalendar, FieldError> result = CalendarParser.parse(node, "acme");
    assertThat(result.value()).isNull();
    return result;
  }

  @Test
  void aOneOffFreezeCoversItsLocalWindowInItsZone() throws Exception {
    TenantCalendar c =
        parse(
            """
            {"time_zone":"America/New_York","freezes":[{"name":"year-end",
              "start":"2026-12-20T00:00","end":"2027-01-04T00:00","zone":"Europe/London"}]}""");
    // Midnight in London is 19:00 the evening before in New York: the window's zone decides.
    assertThat(c.factsAt(Instant.parse("2026-12-19T23:59:59Z"), c.zoneOr(LONDON)).inFreeze())
        .isFalse();
    assertThat(c.factsAt(Instant.parse("2026-12-20T00:00:00Z"), c.zoneOr(LONDON)))
        .isEqualTo(new CalendarFacts(true, "year-end", false));
    assertThat(c.factsAt(Instant.parse("2027-01-03T23:59:59Z"), c.zoneOr(LONDON)).inFreeze())
        .isTrue();
    assertThat(c.factsAt(Instant.parse("2027-01-04T00:00:00Z"), c.zoneOr(LONDON)).inFreeze())
        .isFalse(); // end is exclusive
    // Not recurring: next year is free.
    assertThat(c.factsAt(Instant.parse("2027-12-25T12:00:00Z"), LONDON).inFreeze()).isFalse();
  }

  @Test
  void aYearlyFreezeRecursAcrossTheYearEnd() throws Exception {
    TenantCalendar c =
        parse(
            """
            {"freezes":[{"name":"year-end","start":"2026-12-20T00:00","end":"2027-01-04T00:00",
              "zone":"Europe/London","repeat":"yearly"}]}""");
    assertThat(c.factsAt(Instant.parse("2028-01-02T10:00:00Z"), LONDON).freezeName())
        .isEqualTo("year-end");
    assertThat(c.factsAt(Instant.parse("2027-12-24T10:00:00Z"), LONDON).inFreeze()).isTrue();
    assertThat(c.factsAt(Instant.parse("2027-06-01T10:00:00Z"), LONDON).inFreeze()).isFalse();
    // Before the first occurrence nothing is frozen.
    assertThat(c.factsAt(Instant.parse("2025-12-24T10:00:00Z"), LONDON).inFreeze()).isFalse();
    assertThat(c.nextFreeze(Instant.parse("2027-06-01T10:00:00Z"), LONDON))
        .hasValueSatisfying(
            o -> assertThat(o.start()).isEqualTo(Instant.parse("2027-12-20T00:00:00Z")));
  }

  @Test
  void aWeeklyFreezeKeepsItsLocalTimeAcrossDaylightSaving() throws Exception {
    // Fridays 16:00-20:00 London time; the clocks go back on 2026-10-25.
    TenantCalendar c =
        parse(
            """
            {"time_zone":"Europe/London","freezes":[{"name":"friday","start":"2026-10-16T16:00",
              "end":"2026-10-16T20:00","repeat":"weekly"}]}""");
    ZoneId zone = c.zoneOr(ZoneId.of("UTC"));
    assertThat(c.factsAt(Instant.parse("2026-10-16T15:30:00Z"), zone).inFreeze()).isTrue(); // BST
    assertThat(c.factsAt(Instant.parse("2026-10-30T15:30:00Z"), zone).inFreeze()).isFalse(); // GMT
    assertThat(c.factsAt(Instant.parse("2026-10-30T16:30:00Z"), zone).inFreeze()).isTrue();
    assertThat(c.factsAt(Instant.parse("2026-10-31T16:30:00Z"), zone).inFreeze()).isFalse();
  }

  @Test
  void holidaysAreLocalDatesInTheTenantsZone() throws Exception {
    TenantCalendar c =
        parse(
            """
            {"time_zone":"Asia/Tokyo","holidays":[{"date":"2026-12-25","name":"Christmas Day"}]}""");
    ZoneId tokyo = c.zoneOr(LONDON);
    assertThat(c.factsAt(Instant.parse("2026-12-24T15:00:00Z"), tokyo).isHoliday()).isTrue();
    assertThat(c.factsAt(Instant.parse("2026-12-25T15:00:00Z"), tokyo).isHoliday()).isFalse();
  }

  @Test
  void overlappingFreezesNameTheFirstByName() throws Exception {
    TenantCalendar c =
        parse(
            """
            {"freezes":[
              {"name":"zz-late","start":"2026-12-01T00:00","end":"2026-12-31T00:00"},
              {"name":"audit","start":"2026-12-10T00:00","end":"2026-12-12T00:00"}]}""");
    assertThat(c.factsAt(Instant.parse("2026-12-11T00:00:00Z"), LONDON).freezeName())
        .isEqualTo("audit");
  }

  @Test
  void everyProblemIsReportedWithItsPath() throws Exception {
    Checked<TenantCalendar, FieldError> r =
        parseInvalid(
            """
            {"tenant_id":"globex","time_zone":"+02:00","colour":"red",
             "freezes":[{"name":"","start":"2026-12-20","end":"2026-12-19T00:00","zone":"Mars/Base"},
                        {"name":"w","start":"2026-01-01T00:00","end":"2026-01-09T00:00","repeat":"weekly"},
                        {"name":"x","start":"2026-01-01T00:00","end":"2026-01-02T00:00","repeat":"daily"},
                        {"name":"ok","start":"2026-01-01T00:00","end":"2026-01-02T00:00"},
                        {"name":"OK","start":"2026-02-01T00:00","end":"2026-02-02T00:00"}],
             "holidays":[{"date":"2026-13-01","name":"bad"},{"date":"2026-12-25"}]}""");
    assertThat(r.problems())
        .extracting(FieldError::path)
        .contains(
            "$.tenant_id",
            "$.time_zone",
            "$.colour",
            "$.freezes[0].name",
            "$.freezes[0].start",
            "$.freezes[0].zone",
            "$.freezes[1].end",
            "$.freezes[2].repeat",
            "$.freezes[4].name",
            "$.holidays[0].date",
            "$.holidays[1].name");
    assertThat(r.describe()).contains("IANA time zone").doesNotContain("Exception");
  }

  @Test
  void storedFormRoundTrips() throws Exception {
    TenantCalendar c =
        parse(
            """
            {"time_zone":"Europe/Berlin","freezes":[{"name":"year-end","start":"2026-12-20T00:00",
              "end":"2027-01-04T00:00","zone":"Europe/London","repeat":"yearly"}],
             "holidays":[{"date":"2026-12-25","name":"Christmas Day"}]}""");
    String json = Json.mapper().writeValueAsString(c);
    assertThat(Json.mapper().readValue(json, TenantCalendar.class)).isEqualTo(c);
    assertThat(json).contains("\"time_zone\":\"Europe/Berlin\"", "\"repeat\":\"yearly\"");
  }
}
