package org.newsroom.membership.accounts;

/** READER is every member; the staff roles are granted only by an ADMIN. */
public enum Role {
  READER,
  FINANCE,
  ADMIN
}
