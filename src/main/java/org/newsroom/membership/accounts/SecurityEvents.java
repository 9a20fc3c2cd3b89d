package org.newsroom.membership.accounts;

import java.util.UUID;
import java.util.logging.Logger;
import org.newsroom.membership.platform.LogIdentifiers;

/**
 * The security log: what happened, to whom (member id, or a keyed hash of the email so addresses
 * are not written down, see {@link LogIdentifiers}), from where, with what outcome. Never a
 * password or token.
 */
final class SecurityEvents {

  private static final Logger LOG = Logger.getLogger("org.newsroom.membership.security");

  private SecurityEvents() {}

  static void member(String event, UUID memberId, String address, String outcome) {
    LOG.info(
        () ->
            "security event="
                + event
                + " member="
                + memberId
                + " address="
                + address
                + " outcome="
                + outcome);
  }

  static void email(String event, String email, String address, String outcome) {
    String emailHash = LogIdentifiers.ofEmail(email);
    LOG.info(
        () ->
            "security event="
                + event
                + " emailHash="
                + emailHash
                + " address="
                + address
                + " outcome="
                + outcome);
  }
}
