package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.newsroom.membership.entitlements.SupportFacts;

/**
 * A member's giving as the supporter rule sees it. Contributions and payments are not recorded yet
 * (the Stripe integration is its own issue), so nobody is a supporter until then.
 */
@ApplicationScoped
public class SupportHistory {

  public SupportFacts factsOf(UUID memberId) {
    return SupportFacts.NONE;
  }
}
