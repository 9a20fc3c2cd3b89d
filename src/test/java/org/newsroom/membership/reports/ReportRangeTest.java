package org.newsroom.membership.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemException.FieldError;

class ReportRangeTest {

  @Test
  void aRangeIsFromLocalMidnightToTheMidnightAfterTheLastDay() {
    ReportRange range = ReportRange.parse("2031-01-01", "2031-01-31", null, "Europe/London", 400);
    assertThat(range.start()).isEqualTo(Instant.parse("2031-01-01T00:00:00Z"));
    assertThat(range.end()).isEqualTo(Instant.parse("2031-02-01T00:00:00Z"));
  }

  @Test
  void theDayClocksGoForwardHas23HoursAndTheDayTheyGoBack25() {
    ReportRange spring = ReportRange.parse("2026-03-29", "2026-03-29", "Europe/London", "UTC", 400);
    assertThat(Duration.between(spring.start(), spring.end())).isEqualTo(Duration.ofHours(23));
    ReportRange autumn = ReportRange.parse("2026-10-25", "2026-10-25", "Europe/London", "UTC", 400);
    assertThat(autumn.start()).isEqualTo(Instant.parse("2026-10-24T23:00:00Z"));
    assertThat(Duration.between(autumn.start(), autumn.end())).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void aDayWithoutMidnightStartsAtItsFirstInstant() {
    // America/Santiago skipped midnight on 2026-09-06 (clocks 00:00 -> 01:00).
    ReportRange range =
        ReportRange.parse("2026-09-06", "2026-09-06", "America/Santiago", "UTC", 400);
    assertThat(Duration.between(range.start(), range.end())).isEqualTo(Duration.ofHours(23));
  }

  @Test
  void theZoneDefaultsToTheConfiguredOne() {
    ReportRange range = ReportRange.parse("2031-07-01", "2031-07-01", "", "Europe/London", 400);
    assertThat(range.zone().getId()).isEqualTo("Europe/London");
    assertThat(range.start()).isEqualTo(Instant.parse("2031-06-30T23:00:00Z"));
  }

  @Test
  void exactlyTheMaximumNumberOfDaysIsAllowedAndOneMoreIsNot() {
    LocalDate from = LocalDate.parse("2031-01-01");
    assertThat(ReportRange.parse(from.toString(), from.plusDays(399).toString(), "UTC", "UTC", 400))
        .isNotNull();
    assertThat(fields(() -> ReportRange.parse("2031-01-01", "2032-02-05", "UTC", "UTC", 400)))
        .extracting(FieldError::field)
        .containsExactly("to");
  }

  @Test
  void everyBadFieldIsReportedAtOnce() {
    assertThat(
            fields(() -> ReportRange.parse("2031-02-30", "yesterday", "Mars/Olympus", "UTC", 400)))
        .extracting(FieldError::field)
        .containsExactly("from", "to", "tz");
    assertThat(fields(() -> ReportRange.parse(null, null, null, "UTC", 400)))
        .extracting(FieldError::field)
        .containsExactly("from", "to");
  }

  @Test
  void fromAfterToIsRejected() {
    assertThat(fields(() -> ReportRange.parse("2031-02-02", "2031-02-01", "UTC", "UTC", 400)))
        .extracting(FieldError::field)
        .containsExactly("from");
  }

  private static java.util.List<FieldError> fields(Runnable parse) {
    ProblemException problem = (ProblemException) catchProblem(parse);
    assertThat(problem.status()).isEqualTo(400);
    return problem.errors();
  }

  private static Throwable catchProblem(Runnable parse) {
    try {
      parse.run();
    } catch (ProblemException e) {
      return e;
    }
    assertThatThrownBy(parse::run).isInstanceOf(ProblemException.class);
    return null;
  }
}
