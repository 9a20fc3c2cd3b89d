package org.newsroom.membership.notifications;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the browser does with a received message (RFC 8291 with RFC 8188 aes128gcm), written out
 * from the RFCs independently of the library the service uses, so the test checks the service's
 * messages against the standard and not against the same code.
 */
final class PushDecryption {

  private PushDecryption() {}

  static String decrypt(PushBrowser browser, byte[] message) throws Exception {
    ByteBuffer in = ByteBuffer.wrap(message);
    byte[] salt = new byte[16];
    in.get(salt);
    int recordSize = in.getInt();
    int idLength = in.get() & 0xff;
    byte[] serverKey = new byte[idLength];
    in.get(serverKey);
    byte[] ciphertext = new byte[in.remaining()];
    in.get(ciphertext);
    if (idLength != 65 || ciphertext.length + 86 > recordSize) {
      throw new IllegalArgumentException("not a single aes128gcm record with a P-256 key id");
    }

    ECPublicKey serverPublic = publicKey(serverKey, (ECPublicKey) browser.keys.getPublic());
    KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
    ecdh.init(browser.keys.getPrivate());
    ecdh.doPhase(serverPublic, true);
    byte[] sharedSecret = ecdh.generateSecret();

    byte[] uaPublic = java.util.Base64.getUrlDecoder().decode(browser.p256dh());
    byte[] keyInfo =
        concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, serverKey);
    byte[] ikm = hkdf(browser.authSecret, sharedSecret, keyInfo, 32);
    byte[] cek =
        hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
    byte[] nonce =
        hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);

    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] padded = aes.doFinal(ciphertext);
    int end = padded.length - 1;
    while (end >= 0 && padded[end] == 0) {
      end--;
    }
    if (end < 0 || padded[end] != 2) {
      throw new IllegalArgumentException("last record must end with the 0x02 delimiter");
    }
    return new String(Arrays.copyOf(padded, end), StandardCharsets.UTF_8);
  }

  private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(info);
    mac.update((byte) 1);
    return Arrays.copyOf(mac.doFinal(), length);
  }

  static ECPublicKey publicKey(byte[] uncompressed, ECPublicKey sameCurve) throws Exception {
    ECPoint point =
        new ECPoint(
            new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
            new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
    return (ECPublicKey)
        KeyFactory.getInstance("EC")
            .generatePublic(new ECPublicKeySpec(point, sameCurve.getParams()));
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    ByteBuffer out = ByteBuffer.allocate(length);
    for (byte[] p : parts) {
      out.put(p);
    }
    return out.array();
  }
}
