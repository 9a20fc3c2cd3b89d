package org.newsroom.membership.entitlements;

import java.time.Instant;
import java.util.UUID;

/**
 * The JSON of {@code GET /api/entitlements}. Null fields are left out. Never an email address.
 * {@code maxAgeSeconds} tells the article-page snippet how long to keep the answer.
 */
public record EntitlementBody(
    boolean signedIn,
    UUID memberId,
    String displayName,
    boolean supporter,
    Instant supporterSince,
    RecurringSummary recurring,
    String actionRequired,
    boolean showSupportAsk,
    Boolean degraded,
    int maxAgeSeconds) {

  public record RecurringSummary(String frequency, String status) {}
}
