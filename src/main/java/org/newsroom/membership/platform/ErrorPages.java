package org.newsroom.membership.platform;

import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The container's error page (web.xml): errors that never reached JAX-RS, such as a static file
 * that does not exist, still answer as problems and never show the server's own error page.
 */
@WebServlet("/error-problem")
public class ErrorPages extends HttpServlet {

  @Inject Problems problems;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i ? i : 500;
    Throwable thrown = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    Problem problem =
        switch (status) {
          case 404 -> problems.of(ProblemType.NOT_FOUND, "There is nothing at this path.");
          case 405 ->
              problems.of(ProblemType.METHOD_NOT_ALLOWED, "This path does not take that method.");
          default ->
              status >= 500 || thrown != null
                  ? problems.unexpected(thrown)
                  : problems.ofStatus(status, "The request failed.");
        };
    problems.write(problem, response);
  }
}
