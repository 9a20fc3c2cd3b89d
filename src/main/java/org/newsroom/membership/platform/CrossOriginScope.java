package org.newsroom.membership.platform;

import java.util.Map;
import java.util.Set;

/**
 * What an article page may do across origins (API.md "Cross-origin scope"): the reader's own steps
 * from an article page. Everything else is same-origin: no CORS headers for it, and a cookie
 * request that changes state from another origin is refused. CORS ({@link CrossOriginPolicy}) and
 * the CSRF check ({@link CrossSiteRequests}) both ask here, so the two can never disagree.
 */
public final class CrossOriginScope {

  /** Path to the methods an article page may use on it; OPTIONS preflights follow these. */
  private static final Map<String, Set<String>> ARTICLE_PAGE =
      Map.of(
          "/api/entitlements", Set.of("GET"),
          "/api/entitlements/token", Set.of("GET"),
          "/api/accounts", Set.of("POST"),
          "/api/session", Set.of("POST", "DELETE"),
          "/api/session/links", Set.of("POST"),
          "/api/donations/checkout", Set.of("POST"),
          "/api/notifications/subscriptions", Set.of("POST", "DELETE"),
          "/api/notifications/subscriptions/options", Set.of("GET"));

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private CrossOriginScope() {}

  /** GET never changes state (API.md Conventions), nor do HEAD and a preflight. */
  public static boolean changesState(String method) {
    return !SAFE_METHODS.contains(method);
  }

  /** True when an article page may call {@code method} on {@code path} with credentials. */
  public static boolean allows(String method, String path) {
    Set<String> methods = ARTICLE_PAGE.get(withoutTrailingSlash(path));
    return methods != null && (methods.contains(method) || "OPTIONS".equals(method));
  }

  /** The methods a preflight for {@code path} may be told, or null when it is same-origin only. */
  static String methodsFor(String path) {
    Set<String> methods = ARTICLE_PAGE.get(withoutTrailingSlash(path));
    return methods == null ? null : String.join(", ", new java.util.TreeSet<>(methods));
  }

  private static String withoutTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
