package org.newsroom.membership.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals values written to the shared data grid with an HMAC under a key every instance is
 * configured with ({@code cluster.mac-key}), so that a process that reaches the grid port and joins
 * cannot write a session or a snapshot the service will believe. The MAC covers the cache name and
 * the entry's key as well as the value: a genuine value copied under another key (a valid session
 * under a token hash the attacker made up) is refused too. Only grid reads pay for the check; local
 * copies are kept unsealed.
 */
public final class GridSeal {

  private static final String ALGORITHM = "HmacSHA256";
  private static final int MIN_KEY_LENGTH = 32;
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  private GridSeal(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /** A seal under the configured key, which must be at least 32 characters. */
  public static GridSeal withKey(String configuredKey) {
    if (configuredKey.length() < MIN_KEY_LENGTH) {
      throw new IllegalStateException(
          "cluster.mac-key must be at least " + MIN_KEY_LENGTH + " characters");
    }
    return new GridSeal(configuredKey.getBytes(StandardCharsets.UTF_8));
  }

  /** A seal no other process knows: this instance trusts only what it wrote itself. */
  public static GridSeal ofThisProcessOnly() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new GridSeal(key);
  }

  /** The value as written to the grid: its MAC, a space, the value. */
  public String seal(String cache, String entryKey, String value) {
    return mac(cache, entryKey, value) + ' ' + value;
  }

  /** The value if its MAC is genuine for this cache and key; otherwise null. */
  public String open(String cache, String entryKey, String sealed) {
    int space = sealed.indexOf(' ');
    if (space < 0) {
      return null;
    }
    String value = sealed.substring(space + 1);
    byte[] presented = sealed.substring(0, space).getBytes(StandardCharsets.US_ASCII);
    byte[] expected = mac(cache, entryKey, value).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(presented, expected) ? value : null;
  }

  private String mac(String cache, String entryKey, String value) {
    Mac mac = macs.get();
    mac.update(cache.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    mac.update(entryKey.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    return BASE64.encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
