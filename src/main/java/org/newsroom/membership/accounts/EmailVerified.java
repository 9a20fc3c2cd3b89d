package org.newsroom.membership.accounts;

import java.util.UUID;

/** The member proved they own this address; guest gifts to it may now be theirs. */
public record EmailVerified(UUID memberId, String email) {}
