package org.newsroom.membership.platform;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What every response carries (API.md Conventions) and the CORS rules, in front of servlets and
 * JAX-RS alike. It runs on every article-page check, so it does only header work.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class HttpBasics extends HttpFilter {

  static final String ENTITLEMENTS_PATH = "/api/entitlements";
  private static final String ALLOWED_HEADERS = "Content-Type, Authorization, If-None-Match";
  private static final String API_METHODS = "GET, POST, PUT, PATCH, DELETE";

  /** The service's own pages load scripts only from files here: no inline script, ever. */
  private static final String PAGE_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self' https://checkout.stripe.com;"
          + " frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

  @Inject AllowedOrigins allowedOrigins;
  @Inject Migrations migrations;
  @Inject Problems problems;

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  private boolean https;

  /** Once migrated, always migrated: remembered here so requests skip the EJB call. */
  private volatile boolean migrated;

  @Override
  public void init() {
    https = publicBaseUrl.startsWith("https:");
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    if (https) {
      response.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    String path = request.getRequestURI();
    if (path.endsWith(".js") || path.endsWith(".css")) {
      // Versioned URLs (?v=...) never change; unversioned ones are revalidated after minutes.
      String query = request.getQueryString();
      boolean versioned = query != null && query.contains("v=");
      response.setHeader(
          "Cache-Control",
          versioned ? "public, max-age=31536000, immutable" : "public, max-age=300");
    } else if (path.endsWith(".html") || path.endsWith("/") || PageRoutes.PATHS.contains(path)) {
      response.setHeader("Content-Security-Policy", PAGE_POLICY);
    }
    if (path.startsWith("/api/")) {
      if (!path.equals(ENTITLEMENTS_PATH)) {
        response.setHeader("Cache-Control", "no-store");
      }
      if (!migrated && !(migrated = migrations.completed())) {
        problems.write(
            problems.of(ProblemType.STARTING, "The service is not ready yet."), response);
        return;
      }
      if (cors(request, response, path)) {
        return;
      }
    }
    chain.doFilter(request, response);
  }

  /**
   * Adds CORS headers for the service's own origin, and for article-page origins only on the paths
   * in {@link CrossOriginScope}; answers a preflight itself (returns true then).
   */
  private boolean cors(HttpServletRequest request, HttpServletResponse response, String path)
      throws IOException {
    String origin = request.getHeader("Origin");
    boolean own = allowedOrigins.isOwn(origin);
    String articlePageMethods = CrossOriginScope.methodsFor(path);
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
      return false;
    }
    if (allowed) {
      response.setHeader("Access-Control-Allow-Methods", own ? API_METHODS : articlePageMethods);
      response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      response.setHeader("Access-Control-Max-Age", "600");
    }
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    return true;
  }
}
