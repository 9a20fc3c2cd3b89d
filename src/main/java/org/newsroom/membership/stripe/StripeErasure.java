package org.newsroom.membership.stripe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The Stripe side of erasing a person, inside the erasure's transaction: stored event payloads that
 * mention them are redacted ({@link PayloadRedaction}: ids and amounts stay), and their Stripe
 * Customers are queued for deletion at Stripe ({@link StripeCustomerDeletions}), so nothing here
 * waits on Stripe and a Stripe outage cannot lose the deletion.
 */
@ApplicationScoped
public class StripeErasure {

  @PersistenceContext EntityManager em;
  @Inject StripeCustomerDeletions deletions;

  /**
   * @param references Stripe ids (customers, subscriptions, charges) and our own ids (member id in
   *     metadata) that identify the person's events
   * @param email the person's address when it is proven theirs, else null (an unproven address may
   *     be someone else's, whose events must stay as they are)
   * @param customerIds the Stripe Customers to delete at Stripe
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void forget(Collection<String> references, String email, Collection<String> customerIds) {
    deletions.lockForErasure(customerIds);
    Set<String> needles = new LinkedHashSet<>();
    references.stream().filter(Objects::nonNull).filter(s -> s.length() >= 8).forEach(needles::add);
    if (email != null && !email.isBlank()) {
      needles.add(email.trim());
    }
    Set<String> eventIds = new LinkedHashSet<>();
    for (String needle : needles) {
      em.createNativeQuery("SELECT id FROM stripe_event WHERE POSITION(? IN payload) > 0")
          .setParameter(1, needle)
          .getResultList()
          .forEach(id -> eventIds.add(id.toString()));
      if (needle.contains("@")) {
        em.createNativeQuery("SELECT id FROM stripe_event WHERE POSITION(? IN LOWER(payload)) > 0")
            .setParameter(1, needle.toLowerCase(java.util.Locale.ROOT))
            .getResultList()
            .forEach(id -> eventIds.add(id.toString()));
      }
    }
    for (String id : eventIds) {
      StripeEvent event = em.find(StripeEvent.class, id);
      if (event != null) {
        event.redact(PayloadRedaction.redact(event.payload(), email));
      }
    }
    deletions.request(customerIds);
  }
}
