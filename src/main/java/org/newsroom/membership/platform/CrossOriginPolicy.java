package org.newsroom.membership.platform;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * CORS for the API: credentials for the service's own origin on every path, and for article-page
 * origins only on the paths in {@link CrossOriginScope}; it answers a preflight itself. In front of
 * servlets and JAX-RS alike, since the article-page check is a servlet.
 */
public class CrossOriginPolicy extends HttpFilter {

  private static final String ALLOWED_HEADERS = "Content-Type, Authorization, If-None-Match";
  private static final String API_METHODS = "GET, POST, PUT, PATCH, DELETE";

  @Inject AllowedOrigins allowedOrigins;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String origin = request.getHeader("Origin");
    boolean own = allowedOrigins.isOwn(origin);
    String articlePageMethods = CrossOriginScope.methodsFor(request.getRequestURI());
    boolean allowed = own || (articlePageMethods != null && allowedOrigins.allows(origin));
    response.addHeader("Vary", "Origin");
    if (allowed) {
      response.setHeader("Access-Control-Allow-Origin", origin);
      response.setHeader("Access-Control-Allow-Credentials", "true");
    }
    boolean preflight =
        "OPTIONS".equals(request.getMethod())
            && request.getHeader("Access-Control-Request-Method") != null;
    if (!preflight) {
      chain.doFilter(request, response);
      return;
    }
    if (allowed) {
      response.setHeader("Access-Control-Allow-Methods", own ? API_METHODS : articlePageMethods);
      response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      response.setHeader("Access-Control-Max-Age", "600");
    }
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }
}
