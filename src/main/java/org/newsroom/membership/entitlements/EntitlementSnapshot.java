package org.newsroom.membership.entitlements;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

/**
 * A rendered answer of the article-page check: the exact JSON bytes and their strong ETag, computed
 * once when the snapshot is built so that serving it is a copy, not a computation. {@code
 * validUntil} is when the supporter rule's answer changes by itself (a gift ageing out of its
 * window), after which the snapshot is rebuilt.
 */
public record EntitlementSnapshot(
    String json, String etag, boolean supporter, boolean showSupportAsk, Instant validUntil) {

  static EntitlementSnapshot of(
      String json, boolean supporter, boolean showSupportAsk, Instant validUntil) {
    return new EntitlementSnapshot(json, etagOf(json), supporter, showSupportAsk, validUntil);
  }

  boolean validAt(Instant now) {
    return validUntil == null || now.isBefore(validUntil);
  }

  /**
   * The cached form: one header line ({@code flags validUntil etag}) and the JSON, a string every
   * grid member can read without the application's classes.
   */
  String encode() {
    return (supporter ? "1" : "0")
        + (showSupportAsk ? "1" : "0")
        + ' '
        + (validUntil == null ? "-" : Long.toString(validUntil.getEpochSecond()))
        + ' '
        + etag
        + '\n'
        + json;
  }

  static EntitlementSnapshot decode(String value) {
    int newline = value.indexOf('\n');
    String[] header = value.substring(0, newline).split(" ");
    return new EntitlementSnapshot(
        value.substring(newline + 1),
        header[2],
        header[0].charAt(0) == '1',
        header[0].charAt(1) == '1',
        header[1].equals("-") ? null : Instant.ofEpochSecond(Long.parseLong(header[1])));
  }

  static String etagOf(String json) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return '"'
          + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22)
          + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
