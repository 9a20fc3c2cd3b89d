package org.newsroom.membership.notifications;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The VAPID key pair (RFC 8292) the push services know this site by. Every instance must use the
 * same pair, and browsers subscribed with its public key, so it comes from {@code
 * notifications.vapid-public-key}/{@code notifications.vapid-private-key} (base64url X.509 and
 * PKCS#8, as {@code com.interaso.webpush.VapidKeys} writes them) or is generated once and kept in
 * {@code data.dir/keys/vapid.txt}, like the entitlement signing keys. Changing it orphans every
 * subscription.
 */
@ApplicationScoped
public class Vapid {

  @Inject
  @ConfigProperty(name = "notifications.vapid-public-key")
  Optional<String> publicKey;

  @Inject
  @ConfigProperty(name = "notifications.vapid-private-key")
  Optional<String> privateKey;

  @Inject
  @ConfigProperty(name = "notifications.vapid-subject")
  String subject;

  @Inject
  @ConfigProperty(name = "data.dir")
  String dataDir;

  private WebPush webPush;
  private String applicationServerKey;

  @PostConstruct
  void load() {
    P256.install();
    VapidKeys keys;
    if (publicKey.filter(k -> !k.isBlank()).isPresent()
        && privateKey.filter(k -> !k.isBlank()).isPresent()) {
      keys = VapidKeys.create(publicKey.get().trim(), privateKey.get().trim());
    } else {
      Path file = Path.of(dataDir, "keys", "vapid.txt");
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create " + file.getParent(), e);
      }
      keys = VapidKeys.load(file, true);
    }
    webPush = new WebPush(subject, keys);
    applicationServerKey =
        Base64.getUrlEncoder().withoutPadding().encodeToString(keys.getApplicationServerKey());
  }

  /** The library's encryption (RFC 8291) and VAPID headers (RFC 8292) for this site's keys. */
  WebPush webPush() {
    return webPush;
  }

  /** What a browser's {@code pushManager.subscribe} takes as {@code applicationServerKey}. */
  public String applicationServerKey() {
    return applicationServerKey;
  }
}
