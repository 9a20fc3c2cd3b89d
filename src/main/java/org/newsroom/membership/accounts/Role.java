package org.newsroom.membership.accounts;

/** READER is every member; the staff roles are granted only by an ADMIN. */
public enum Role {
  READER,
  FINANCE,
  /** Sends news alerts to readers who opted in to notifications. */
  EDITOR,
  ADMIN
}
