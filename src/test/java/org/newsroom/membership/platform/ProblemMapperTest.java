package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemMapperTest {

  private final Problems problems = new Problems();

  ProblemMapperTest() {
    problems.publicBaseUrl = "https://members.example.org";
  }

  @Test
  void unexpectedFailureIsA500WithACorrelationIdAndNothingOfTheCause() {
    Problem problem =
        problems.unexpected(new IllegalStateException("SELECT secret FROM member; at org.foo.Bar"));
    String json = problems.json(problem);
    assertThat(problem.status()).isEqualTo(500);
    assertThat(problem.correlationId()).isNotBlank();
    assertThat(problem.type()).isEqualTo("https://members.example.org/problems/internal-error");
    assertThat(json).doesNotContain("SELECT", "IllegalStateException", "org.foo", "errors");
  }

  @Test
  void problemWrappedByTheFrameworkIsFoundUnderTheWrapper() {
    ProblemException tooLarge = BodyLimit.tooLarge(10);
    assertThat(
            ProblemMapper.find(
                new jakarta.ws.rs.ProcessingException(new java.io.IOException(tooLarge)),
                ProblemException.class))
        .isSameAs(tooLarge);
    assertThat(ProblemMapper.find(new IllegalStateException(), ProblemException.class)).isNull();
  }

  @Test
  void lostDatabaseConnectionUnderThePoolsWrappersIsAnOutage() {
    var refused = new java.sql.SQLException("Connection refused", "08001");
    var pool = new java.sql.SQLException("Error in allocating a connection", null, refused);
    assertThat(ProblemMapper.isDatabaseUnavailable(new RuntimeException(pool))).isTrue();
    assertThat(
            ProblemMapper.isDatabaseUnavailable(
                new RuntimeException(new java.sql.SQLException("duplicate key", "23505"))))
        .isFalse();
    assertThat(ProblemMapper.isDatabaseUnavailable(new IllegalStateException())).isFalse();
  }
}
