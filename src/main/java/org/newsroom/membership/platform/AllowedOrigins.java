package org.newsroom.membership.platform;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The exact origins (scheme, host and port) that may call the API with credentials and that links
 * may return to: {@code cors.allowed-origins} plus {@code public.base-url}. Used by CORS, the CSRF
 * check and every returnUrl check, so all three agree.
 */
@ApplicationScoped
public class AllowedOrigins {

  @Inject
  @ConfigProperty(name = "cors.allowed-origins")
  List<String> configured;

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  private Set<String> origins;
  private String own;

  @PostConstruct
  void init() {
    origins = of(configured, publicBaseUrl);
    own = originOf(publicBaseUrl);
  }

  static Set<String> of(List<String> configured, String publicBaseUrl) {
    Set<String> all = new LinkedHashSet<>();
    configured.stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(AllowedOrigins::originOf)
        .forEach(all::add);
    all.add(originOf(publicBaseUrl));
    return Set.copyOf(all);
  }

  /** True only for an exact, serialised origin on the list; never for "null" or a lookalike. */
  public boolean allows(String origin) {
    return origin != null && origins.contains(origin);
  }

  /** True for the service's own origin, {@code public.base-url}: its pages are same-origin. */
  public boolean isOwn(String origin) {
    return origin != null && origin.equals(own);
  }

  /** The origin of a Referer-style URL, or null when it has none. */
  public static String originOfUrl(String url) {
    if (url == null) {
      return null;
    }
    try {
      return originOf(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** True when the URL's own origin is on the list (for Referer headers and return URLs). */
  public boolean allowsUrl(String url) {
    if (url == null) {
      return false;
    }
    try {
      return allows(originOf(url));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Normalises a URL to its origin: lower-case scheme and host, default ports left out. */
  static String originOf(String url) {
    URI uri = URI.create(url.trim());
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null) {
      throw new IllegalArgumentException("Not an absolute URL: " + url);
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("Not an http(s) URL: " + url);
    }
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("http") && port == 80)
            || (scheme.equals("https") && port == 443);
    return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }
}
