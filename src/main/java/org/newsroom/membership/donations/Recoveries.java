package org.newsroom.membership.donations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Counts recovered payments (a payment that succeeded after its contribution's renewal had failed)
 * as {@code donations_recovered_payments_total}, once the payment is committed, so a retried event
 * never counts twice. The durable count is {@code payment.recovered}.
 */
@ApplicationScoped
public class Recoveries {

  @Inject MetricRegistry metrics;

  void counted(@Observes(during = TransactionPhase.AFTER_SUCCESS) PaymentRecorded payment) {
    if (payment.recovered()) {
      metrics.counter("donations.recovered.payments").inc();
    }
  }
}
