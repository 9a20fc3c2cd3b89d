package org.newsroom.membership.platform;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Makes every problem's {@code type} a link that answers: {@code /problems/} lists the {@link
 * ProblemType} catalogue, {@code /problems/<slug>} shows that one kind. Each page is written from
 * the enum the service answers with, so the two cannot drift apart.
 */
@WebServlet("/problems/*")
public class ProblemTypesServlet extends HttpServlet {

  private static final String POLICY =
      "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'";

  @Inject Problems problems;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String slug = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
    String body;
    if (slug.isEmpty()) {
      body =
          "<h1>Problem types</h1>\n<p>Every error this service answers with is an RFC 9457"
              + " problem whose <code>type</code> is one of these.</p>\n<dl>\n"
              + Arrays.stream(ProblemType.values())
                  .map(ProblemTypesServlet::entry)
                  .collect(Collectors.joining())
              + "<dt id=\"http-status\"><code>http-&lt;status&gt;</code></dt>\n"
              + "<dd>Any other HTTP error, named by its status.</dd>\n</dl>\n";
    } else if (slug.matches("http-[45]\\d\\d")) {
      body =
          "<h1>HTTP " + slug.substring(5) + "</h1>\n<p>An HTTP error outside the catalogue.</p>\n";
    } else {
      ProblemType type =
          Arrays.stream(ProblemType.values())
              .filter(t -> t.slug().equals(slug))
              .findFirst()
              .orElse(null);
      if (type == null) {
        problems.write(
            problems.of(ProblemType.NOT_FOUND, "There is no problem type of this name."), response);
        return;
      }
      body = "<h1>" + type.title() + "</h1>\n<dl>\n" + entry(type) + "</dl>\n";
    }
    response.setContentType("text/html");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Content-Security-Policy", POLICY);
    response.setHeader("Cache-Control", "public, max-age=3600");
    response
        .getWriter()
        .write(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>Problem types</title>\n<link rel=\"stylesheet\" href=\"/site.css\">\n"
                + "</head>\n<body>\n<main>\n"
                + body
                + "<p><a href=\"/problems/\">All problem types</a></p>\n</main>\n</body>\n</html>\n");
  }

  /** The catalogue's text is written by us (it may hold markup); nothing of the request is. */
  private static String entry(ProblemType type) {
    return "<dt id=\""
        + type.slug()
        + "\"><code>"
        + type.slug()
        + "</code>: "
        + type.status()
        + " "
        + type.title()
        + "</dt>\n<dd>"
        + type.meaning()
        + "</dd>\n";
  }
}
