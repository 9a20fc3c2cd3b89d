package org.newsroom.membership.entitlements;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.newsroom.membership.accounts.SessionCookies;
import org.newsroom.membership.accounts.SessionLookup;
import org.newsroom.membership.accounts.Sessions;
import org.newsroom.membership.platform.ProblemType;
import org.newsroom.membership.platform.Problems;

/**
 * {@code GET /api/entitlements}, called on every article page view. A plain servlet rather than a
 * JAX-RS resource: this one path carries more traffic than all others together, and the benchmark
 * in the README showed what the JAX-RS layer costs per request. It answers from the session and
 * snapshot caches, never writes to the database, and always answers 200 (anonymous, or degraded
 * when the answer cannot be known).
 */
@WebServlet(urlPatterns = "/api/entitlements", asyncSupported = true)
public class EntitlementsServlet extends HttpServlet {

  @Inject SessionCookies cookies;
  @Inject Sessions sessions;
  @Inject Entitlements entitlements;
  @Inject Problems problems;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    EntitlementSnapshot snapshot = snapshotOf(cookies.tokenFrom(request));
    response.setHeader("Cache-Control", "private, no-cache");
    response.setHeader("Vary", "Origin, Cookie, Authorization");
    response.setHeader("ETag", snapshot.etag());
    String ifNoneMatch = request.getHeader("If-None-Match");
    if (ifNoneMatch != null && ifNoneMatch.contains(snapshot.etag())) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    byte[] body = snapshot.json().getBytes(StandardCharsets.UTF_8);
    response.setContentType("application/json;charset=UTF-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private EntitlementSnapshot snapshotOf(String token) {
    if (token == null) {
      return entitlements.anonymous();
    }
    SessionLookup session = sessions.find(token);
    switch (session.outcome()) {
      case NONE:
        return entitlements.anonymous();
      case UNAVAILABLE:
        return entitlements.degraded();
      default:
        try {
          return entitlements.snapshotFor(session.memberId()).orElse(entitlements.anonymous());
        } catch (RuntimeException databaseUnavailable) {
          return entitlements.degraded();
        }
    }
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException, jakarta.servlet.ServletException {
    String method = request.getMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      super.service(request, response);
      return;
    }
    response.setHeader("Allow", "GET, HEAD, OPTIONS");
    if (method.equals("OPTIONS")) {
      response.setStatus(HttpServletResponse.SC_NO_CONTENT);
      return;
    }
    problems.write(
        problems.of(ProblemType.METHOD_NOT_ALLOWED, "The entitlement check is GET only."),
        response);
  }
}
