package org.newsroom.membership.notifications;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * What a browser holds for one push subscription: its endpoint at the push service, its P-256 key
 * pair and its auth secret (RFC 8291), so a test can subscribe as a browser does and decrypt what
 * the push service received.
 */
final class PushBrowser {

  final String endpoint;
  final KeyPair keys;
  final byte[] authSecret;

  private PushBrowser(String endpoint) {
    this.endpoint = endpoint;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      this.keys = generator.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    this.authSecret = new byte[16];
    new SecureRandom().nextBytes(authSecret);
  }

  /** A browser whose push service is {@code base} (e.g. https://push.it.example/send). */
  static PushBrowser at(String base) {
    return new PushBrowser(base + "/" + UUID.randomUUID());
  }

  String p256dh() {
    ECPublicKey key = (ECPublicKey) keys.getPublic();
    byte[] point = new byte[65];
    point[0] = 0x04;
    copy(key.getW().getAffineX(), point, 1);
    copy(key.getW().getAffineY(), point, 33);
    return b64(point);
  }

  String auth() {
    return b64(authSecret);
  }

  String subscription(List<String> topics) {
    return subscription(endpoint, p256dh(), auth(), topics);
  }

  static String subscription(String endpoint, String p256dh, String auth, List<String> topics) {
    StringBuilder json = new StringBuilder();
    json.append("{\"endpoint\":\"").append(endpoint).append("\",\"keys\":{\"p256dh\":\"");
    json.append(p256dh).append("\",\"auth\":\"").append(auth).append("\"},\"topics\":[");
    for (int i = 0; i < topics.size(); i++) {
      json.append(i == 0 ? "" : ",").append('"').append(topics.get(i)).append('"');
    }
    return json.append("]}").toString();
  }

  String unsubscription(String auth) {
    return "{\"endpoint\":\"" + endpoint + "\",\"keys\":{\"auth\":\"" + auth + "\"}}";
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void copy(BigInteger coordinate, byte[] into, int offset) {
    byte[] raw = coordinate.toByteArray();
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, into, offset + 32 - length, length);
  }
}
