package org.newsroom.membership.notifications;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.ProblemException;

/**
 * What a subscription must look like before it is stored: an https endpoint on a push service we
 * allow-list (so the fan-out can never be pointed at an internal host or used to flood a stranger's
 * server), keys of the sizes RFC 8291 fixes, and topics this newsroom publishes.
 */
@ApplicationScoped
public class PushRules {

  @Inject
  @ConfigProperty(name = "notifications.push-hosts")
  List<String> pushHosts;

  @Inject
  @ConfigProperty(name = "notifications.topics")
  List<String> knownTopics;

  /** Plain-http push hosts, for a local push double in tests only; empty in production. */
  @Inject
  @ConfigProperty(name = "notifications.insecure-push-hosts", defaultValue = " ")
  List<String> insecureHosts;

  public List<String> topics() {
    return knownTopics.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
  }

  void checkEndpoint(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw ProblemException.validation("endpoint", "must be an https URL");
    }
    String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
    if (host == null || uri.getUserInfo() != null || uri.getFragment() != null) {
      throw ProblemException.validation("endpoint", "must be an https URL");
    }
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    boolean insecureAllowed =
        "http".equalsIgnoreCase(uri.getScheme()) && matchesAny(host, insecureHosts);
    if (!https && !insecureAllowed) {
      throw ProblemException.validation("endpoint", "must be an https URL");
    }
    if (https && !matchesAny(host, pushHosts)) {
      throw ProblemException.validation("endpoint", "is not on a push service this site accepts");
    }
  }

  /** The browser's P-256 public key: an uncompressed point, 65 bytes starting 0x04. */
  static void checkP256dh(String p256dh) {
    byte[] key = base64Url(p256dh, "keys.p256dh");
    if (key.length != 65 || key[0] != 0x04) {
      throw ProblemException.validation("keys.p256dh", "must be an uncompressed P-256 public key");
    }
  }

  /** The browser's 16-byte authentication secret (RFC 8291 section 3.2). */
  static void checkAuth(String auth) {
    if (base64Url(auth, "keys.auth").length != 16) {
      throw ProblemException.validation("keys.auth", "must be a 16-byte secret");
    }
  }

  Set<String> checkTopics(List<String> topics) {
    List<String> known = topics();
    Set<String> chosen = new LinkedHashSet<>();
    for (String topic : topics) {
      if (topic == null || !known.contains(topic)) {
        throw ProblemException.validation(
            "topics", "unknown topic; this site offers " + String.join(", ", known));
      }
      chosen.add(topic);
    }
    if (chosen.isEmpty()) {
      throw ProblemException.validation("topics", "choose at least one topic");
    }
    return chosen;
  }

  void checkTopic(String topic) {
    if (!topics().contains(topic)) {
      throw ProblemException.validation(
          "topic", "unknown topic; this site offers " + String.join(", ", topics()));
    }
  }

  private static byte[] base64Url(String value, String field) {
    try {
      return Base64.getUrlDecoder().decode(value.replace("=", ""));
    } catch (IllegalArgumentException e) {
      throw ProblemException.validation(field, "must be base64url");
    }
  }

  /** "example.com" matches itself; "*.example.com" matches any subdomain of it. */
  static boolean matchesAny(String host, List<String> patterns) {
    for (String raw : patterns) {
      String pattern = raw.trim().toLowerCase(Locale.ROOT);
      if (pattern.isEmpty()) {
        continue;
      }
      if (pattern.startsWith("*.")
          ? host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1
          : host.equals(pattern)) {
        return true;
      }
    }
    return false;
  }
}
