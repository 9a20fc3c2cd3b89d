package org.newsroom.membership.platform;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The headers every response carries (API.md Conventions): no sniffing, a referrer policy, HSTS
 * behind https, the pages' Content-Security-Policy, and how long a browser may keep what it got.
 * The first filter (web.xml orders them), so even a refusal by a later one carries them. It runs on
 * every article-page check, so it does only header work.
 */
public class ResponseHeaders extends HttpFilter {

  /** The article-page check sets its own caching (an ETag, revalidated). */
  private static final String ENTITLEMENTS_PATH = "/api/entitlements";

  /** The service's own pages load scripts only from files here: no inline script, ever. */
  private static final String PAGE_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self' https://checkout.stripe.com;"
          + " frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  private boolean https;

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
      // Versioned URLs (?v=...) never change. Unversioned ones (the pages' modules and forms.js
      // they import) are revalidated on every use, a 304 while unchanged: a page after a deploy
      // must never run against the forms.js of before it.
      String query = request.getQueryString();
      boolean versioned = query != null && query.contains("v=");
      response.setHeader(
          "Cache-Control", versioned ? "public, max-age=31536000, immutable" : "no-cache");
    } else if (path.endsWith(".html") || path.endsWith("/") || PageRoutes.PATHS.contains(path)) {
      response.setHeader("Content-Security-Policy", PAGE_POLICY);
    }
    if (path.startsWith("/api/") && !path.equals(ENTITLEMENTS_PATH)) {
      response.setHeader("Cache-Control", "no-store");
    }
    chain.doFilter(request, response);
  }
}
