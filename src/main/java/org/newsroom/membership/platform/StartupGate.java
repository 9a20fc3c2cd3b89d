package org.newsroom.membership.platform;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** 503 {@code starting} for the API until the database migrations have finished. */
public class StartupGate extends HttpFilter {

  @Inject Migrations migrations;
  @Inject Problems problems;

  /** Once migrated, always migrated: remembered here so requests skip the EJB call. */
  private volatile boolean migrated;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!migrated && !(migrated = migrations.completed())) {
      problems.write(problems.of(ProblemType.STARTING, "The service is not ready yet."), response);
      return;
    }
    chain.doFilter(request, response);
  }
}
