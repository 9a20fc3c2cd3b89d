package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.function.Supplier;

/**
 * A short transaction around a piece of work, for the callers that must do slow work (password
 * hashing, calls to Stripe) between their reads and their writes without holding a connection.
 */
@ApplicationScoped
public class Transactions {

  @Transactional
  public <T> T call(Supplier<T> work) {
    return work.get();
  }

  @Transactional
  public void run(Runnable work) {
    work.run();
  }
}
