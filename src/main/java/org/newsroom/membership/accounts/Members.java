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

  /**
   * Where mail about someone's giving goes: their account's current address when the gift has a
   * member (they may have changed it since they gave), else the address given with the gift. Empty
   * when neither is left (an erased member, a pseudonymised gift).
   */
  public Optional<String> giverAddress(UUID memberId, String givenWithGift) {
    return Optional.ofNullable(memberId)
        .flatMap(this::find)
        .map(Member::email)
        .or(() -> Optional.ofNullable(givenWithGift));
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
