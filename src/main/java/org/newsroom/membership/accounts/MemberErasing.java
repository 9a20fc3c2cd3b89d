package org.newsroom.membership.accounts;

import java.util.UUID;

/**
 * Fired synchronously inside the erasure transaction, before the member's data goes, so other
 * features (recurring contributions at Stripe) can wind down what they hold; an observer that
 * throws stops the erasure. {@code provenEmail} is the member's address when they proved it (null
 * otherwise): only then are records that name the address without the member id (guest gifts,
 * Stripe events) theirs to erase.
 */
public record MemberErasing(UUID memberId, String provenEmail) {}
