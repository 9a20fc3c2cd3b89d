package org.newsroom.membership.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How an email address appears in logs: a keyed hash (HMAC-SHA256 under {@code
 * log.identifier-key}), never the address or its plain SHA-256. A plain hash of an address is no
 * pseudonym: anyone with a list of addresses recomputes it, so an erased member would stay findable
 * in old logs. Without the key the hash says nothing. With no key configured each process draws a
 * random one, so entries correlate only within one run of one instance; set the key to correlate
 * across instances.
 */
public final class LogIdentifiers {

  private static final Logger LOG = Logger.getLogger(LogIdentifiers.class.getName());
  private static final byte[] KEY = key();

  private LogIdentifiers() {}

  /** 16 hex characters that stand for the address in a log line. */
  public static String ofEmail(String email) {
    if (email == null) {
      return "-";
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
      byte[] digest =
          mac.doFinal(email.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private static byte[] key() {
    Optional<String> configured = Optional.empty();
    try {
      configured =
          ConfigProvider.getConfig()
              .getOptionalValue("log.identifier-key", String.class)
              .filter(k -> !k.isBlank());
    } catch (RuntimeException noConfigOutsideTheServer) {
      // unit tests: fall through to a random key
    }
    if (configured.isPresent()) {
      return configured.get().getBytes(StandardCharsets.UTF_8);
    }
    LOG.info("No log.identifier-key: email hashes in logs use a random per-process key");
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return random;
  }
}
