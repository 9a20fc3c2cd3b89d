package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Queues mail in the caller's transaction: the mail exists exactly when the change that caused it
 * committed. {@link MailSender} delivers it.
 */
@ApplicationScoped
public class MailOutbox {

  @PersistenceContext EntityManager em;

  @Transactional(Transactional.TxType.MANDATORY)
  public void queue(String recipient, String subject, String textBody, String htmlBody) {
    em.persist(new OutboxMail(recipient, subject, textBody, htmlBody));
  }
}
