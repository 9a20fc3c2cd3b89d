package org.newsroom.membership.accounts;

/** READER is every member; the staff roles are granted only by an ADMIN. */
public enum Role {
  READER,
  FINANCE,
  /** Sends news alerts to readers who opted in to notifications. */
  EDITOR,
  /**
   * Supporter care: finds a reader who writes in and acts for them (refund, cancel, resend), every
   * look-up and action audited with a reason. ADMIN holds the same powers.
   */
  SUPPORT,
  ADMIN
}
