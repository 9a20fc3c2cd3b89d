package org.newsroom.membership.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;
import java.util.UUID;
import org.newsroom.membership.platform.ProblemException;

/** Finding members; the way other features read them. */
@ApplicationScoped
public class Members {

  @PersistenceContext EntityManager em;

  public Member get(UUID id) {
    Member member = em.find(Member.class, id);
    if (member == null || member.erased()) {
      throw ProblemException.unauthorized();
    }
    return member;
  }

  public Optional<Member> find(UUID id) {
    return Optional.ofNullable(em.find(Member.class, id)).filter(m -> !m.erased());
  }

  public Optional<Member> findByEmail(String email) {
    if (email == null) {
      return Optional.empty();
    }
    return em.createQuery("SELECT m FROM Member m WHERE m.emailNormalized = :email", Member.class)
        .setParameter("email", Member.normalise(email))
        .getResultStream()
        .findFirst();
  }
}
