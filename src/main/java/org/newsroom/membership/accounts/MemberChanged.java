package org.newsroom.membership.accounts;

import java.util.UUID;

/**
 * Fired whenever something that the article-page check shows about a member may have changed
 * (profile, sign-in state, contributions, erasure), so cached snapshots are dropped at once.
 */
public record MemberChanged(UUID memberId) {}
