package org.newsroom.membership.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.newsroom.membership.platform.Timestamps;

@Entity
@Table(name = "member")
public class Member {

  @Id private UUID id;

  private String email;

  @Column(name = "email_normalized")
  private String emailNormalized;

  @Column(name = "email_verified_at")
  private OffsetDateTime emailVerifiedAt;

  @Column(name = "password_hash")
  private String passwordHash;

  @Column(name = "display_name")
  private String displayName;

  @Column(name = "marketing_consent")
  private boolean marketingConsent;

  @Convert(converter = RolesColumn.class)
  private Set<Role> roles;

  @Column(name = "created_at")
  private OffsetDateTime createdAt;

  @Column(name = "updated_at")
  private OffsetDateTime updatedAt;

  @Column(name = "erased_at")
  private OffsetDateTime erasedAt;

  protected Member() {}

  public Member(String email, String passwordHash, String displayName, boolean marketingConsent) {
    this.id = UUID.randomUUID();
    this.email = email.trim();
    this.emailNormalized = normalise(email);
    this.passwordHash = passwordHash;
    this.displayName = displayName;
    this.marketingConsent = marketingConsent;
    this.roles = EnumSet.of(Role.READER);
    this.createdAt = now();
    this.updatedAt = createdAt;
  }

  /** One account per address whatever its case: the form every lookup and constraint uses. */
  public static String normalise(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  public void verifyEmail() {
    if (emailVerifiedAt == null) {
      emailVerifiedAt = now();
      touch();
    }
  }

  public void changePassword(String newHash) {
    passwordHash = newHash;
    touch();
  }

  public void rename(String newDisplayName) {
    displayName = newDisplayName;
    touch();
  }

  /** Returns true when the consent actually changed, so the change can be recorded. */
  public boolean setMarketingConsent(boolean granted) {
    if (marketingConsent == granted) {
      return false;
    }
    marketingConsent = granted;
    touch();
    return true;
  }

  public void grantStaffRoles(Set<Role> staffRoles) {
    Set<Role> next = EnumSet.of(Role.READER);
    next.addAll(staffRoles);
    roles = next;
    touch();
  }

  /**
   * Removes what identifies the person. The row stays because payments, which finance must keep for
   * years, still point at it; the freed address can register again.
   */
  public void erase() {
    email = null;
    emailNormalized = null;
    emailVerifiedAt = null;
    passwordHash = null;
    displayName = null;
    marketingConsent = false;
    roles = EnumSet.of(Role.READER);
    erasedAt = now();
    touch();
  }

  private void touch() {
    updatedAt = now();
  }

  private static OffsetDateTime now() {
    return Timestamps.now();
  }

  public UUID id() {
    return id;
  }

  public String email() {
    return email;
  }

  public boolean emailVerified() {
    return emailVerifiedAt != null;
  }

  public String passwordHash() {
    return passwordHash;
  }

  public String displayName() {
    return displayName;
  }

  public boolean marketingConsent() {
    return marketingConsent;
  }

  public Set<Role> roles() {
    return Collections.unmodifiableSet(roles);
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }

  public boolean erased() {
    return erasedAt != null;
  }
}
