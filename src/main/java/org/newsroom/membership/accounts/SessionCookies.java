package org.newsroom.membership.accounts;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The session cookie exactly as API.md describes it: {@code __Host-session} (Secure, HttpOnly,
 * SameSite=Lax, Path=/, no Domain) by default; plain {@code session} when a Domain is configured
 * (the prefix forbids one) or when served over plain http (the prefix demands Secure).
 */
@ApplicationScoped
public class SessionCookies {

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  @Inject @ConfigProperties SessionSettings settings;

  /** A browser that signed in before keeps this mark for a year (see {@link TrustedDevices}). */
  private static final long DEVICE_MAX_AGE_SECONDS = 365 * 86_400L;

  private String name;
  private String deviceName;
  private boolean secure;
  private Optional<String> domain;
  private long maxAgeSeconds;

  @PostConstruct
  void init() {
    secure = settings.cookieSecure().orElse(publicBaseUrl.startsWith("https:"));
    domain = settings.cookieDomain();
    name = secure && domain.isEmpty() ? "__Host-session" : "session";
    // Only this service reads it, so it is always host-only.
    deviceName = secure ? "__Host-device" : "device";
    maxAgeSeconds = settings.absoluteTimeout().toSeconds();
  }

  public String name() {
    return name;
  }

  public boolean secure() {
    return secure;
  }

  /** {@code session.cookie-domain}, when configured: cookies an edge of that domain must see. */
  public Optional<String> domain() {
    return domain;
  }

  public String issue(String token) {
    return header(token, maxAgeSeconds);
  }

  public String clear() {
    return header("", 0);
  }

  /** The device cookie, set at every sign-in from a browser not yet trusted for the member. */
  public String issueDevice(String value) {
    return header(deviceName, value, DEVICE_MAX_AGE_SECONDS, Optional.empty());
  }

  /** The device cookie's value, or null. */
  public String deviceFrom(jakarta.servlet.http.HttpServletRequest request) {
    return cookieValue(request, deviceName);
  }

  private String header(String value, long maxAge) {
    return header(name, value, maxAge, domain);
  }

  private String header(String cookieName, String value, long maxAge, Optional<String> domain) {
    StringBuilder cookie =
        new StringBuilder(cookieName)
            .append('=')
            .append(value)
            .append("; Path=/; Max-Age=")
            .append(maxAge);
    domain.ifPresent(d -> cookie.append("; Domain=").append(d));
    if (secure) {
      cookie.append("; Secure");
    }
    return cookie.append("; HttpOnly; SameSite=Lax").toString();
  }

  /** The token from a Cookie header, or null. */
  public String tokenFrom(jakarta.servlet.http.HttpServletRequest request) {
    String token = cookieValue(request, name);
    return token != null ? token : bearer(request.getHeader("Authorization"));
  }

  /**
   * Reads the one cookie from the Cookie header(s) itself rather than through {@code getCookies()},
   * which parses every cookie the article site set into an object of its own on each article-page
   * check: the profile of the signed-in benchmark had that parsing among the few things it did
   * beyond the anonymous check.
   */
  private static String cookieValue(
      jakarta.servlet.http.HttpServletRequest request, String cookieName) {
    java.util.Enumeration<String> headers = request.getHeaders("Cookie");
    while (headers != null && headers.hasMoreElements()) {
      String value = cookieValue(headers.nextElement(), cookieName);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** The value of the first cookie named {@code cookieName} in one Cookie header, or null. */
  static String cookieValue(String header, String cookieName) {
    int length = header.length();
    int from = 0;
    while (from < length) {
      int end = header.indexOf(';', from);
      if (end < 0) {
        end = length;
      }
      int start = from;
      while (start < end && (header.charAt(start) == ' ' || header.charAt(start) == '\t')) {
        start++;
      }
      int equals = start + cookieName.length();
      if (equals < end && header.charAt(equals) == '=' && header.startsWith(cookieName, start)) {
        String value = header.substring(equals + 1, end).trim();
        if (value.length() >= 2 && value.charAt(0) == '"' && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
      from = end + 1;
    }
    return null;
  }

  static String bearer(String authorization) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return null;
  }
}
