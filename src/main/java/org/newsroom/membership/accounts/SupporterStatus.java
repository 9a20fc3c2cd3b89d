package org.newsroom.membership.accounts;

import java.util.UUID;

/**
 * Whether a member counts as a supporter, for the {@code supporter} flag of {@link MemberView}.
 * Accounts only shows the answer: the rule is entitlements' ({@code Entitlements} implements this),
 * and entitlements sits above accounts because it reads members and sessions.
 */
public interface SupporterStatus {

  boolean isSupporter(UUID memberId);
}
