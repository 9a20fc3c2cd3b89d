package org.newsroom.membership.testing;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;

/** What every refusal must look like to a stranger: an RFC 9457 problem, never a stack trace. */
public final class Problems {

  private Problems() {}

  /** A problem with this status, its type, title and status in the body, and nothing internal. */
  public static JsonObject assertProblem(Api.Response response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonObject problem = response.json();
    assertThat(problem.getInt("status")).isEqualTo(status);
    assertThat(problem.getString("type")).contains("/problems/");
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception", "at org.", "SQL");
    return problem;
  }

  /** As above, of the type {@code …/problems/<slug>}. */
  public static JsonObject assertProblem(Api.Response response, int status, String slug) {
    JsonObject problem = assertProblem(response, status);
    assertThat(problem.getString("type")).endsWith("/problems/" + slug);
    return problem;
  }

  /** A 400 validation problem whose errors name {@code field}. */
  public static JsonObject assertValidation(Api.Response response, String field) {
    JsonObject problem = assertProblem(response, 400, "validation");
    assertThat(problem.getJsonArray("errors").getValuesAs(JsonObject.class))
        .as(response.toString())
        .extracting(e -> e.getString("field"))
        .contains(field);
    return problem;
  }
}
