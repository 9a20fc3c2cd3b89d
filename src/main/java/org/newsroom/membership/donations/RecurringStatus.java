package org.newsroom.membership.donations;

/**
 * Where a {@link RecurringContribution} stands, stored by name in {@code
 * recurring_contribution.status}. Stripe's subscription statuses are folded into these five by the
 * webhook handler ({@code stripe.StripeEventProcessor}).
 */
public enum RecurringStatus {
  INCOMPLETE,
  ACTIVE,
  PAST_DUE,
  PAUSED,
  CANCELED
}
