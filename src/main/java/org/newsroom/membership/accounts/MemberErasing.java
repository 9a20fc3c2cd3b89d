package org.newsroom.membership.accounts;

import java.util.UUID;

/**
 * Fired synchronously inside the erasure transaction, before the member's data goes, so other
 * features (recurring contributions at Stripe) can wind down what they hold; an observer that
 * throws stops the erasure.
 */
public record MemberErasing(UUID memberId) {}
