package org.newsroom.membership.accounts;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** The {@code Member} of API.md. */
public record MemberView(
    UUID id,
    String email,
    boolean emailVerified,
    String displayName,
    boolean marketingConsent,
    Set<Role> roles,
    Instant createdAt,
    boolean supporter) {

  public static MemberView of(Member member, boolean supporter) {
    return new MemberView(
        member.id(),
        member.email(),
        member.emailVerified(),
        member.displayName(),
        member.marketingConsent(),
        new TreeSet<>(member.roles()),
        member.createdAt().toInstant(),
        supporter);
  }
}
