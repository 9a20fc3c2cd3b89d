package org.newsroom.membership.donations;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import java.util.UUID;
import org.eclipse.persistence.annotations.Customizer;
import org.newsroom.membership.accounts.Member;

/**
 * Who gave, as far as this service knows: the member, once the gift is theirs, and the address
 * Stripe's Checkout collected, which is how a guest's gifts find their member after the address is
 * proved. Both are learnt late and never replaced by a later, different claim; only attaching a
 * guest's gift to the member who proved the address, and erasure, change them.
 */
@Embeddable
@Customizer(NullSafeMappings.class)
public class Donor {

  @Convert(converter = NullableUuid.class)
  @Column(name = "member_id")
  private UUID memberId;

  @Column(name = "donor_email")
  private String email;

  /** {@link Member#normalise}d, so that a guest's gifts are found by the address they prove. */
  @Column(name = "donor_email_normalized")
  private String emailNormalized;

  protected Donor() {}

  /** What a webhook says of the giver fills only what is still unknown. */
  void learn(UUID memberId, String email) {
    if (this.memberId == null && memberId != null) {
      this.memberId = memberId;
    }
    if (this.email == null && email != null) {
      this.email = email;
      this.emailNormalized = Member.normalise(email);
    }
  }

  /** A guest's gift becomes the member's who proved its address. */
  void attachTo(UUID memberId) {
    this.memberId = memberId;
  }

  /** Erasure keeps the gift (finance needs it) but not who the guest was. */
  void pseudonymise() {
    email = null;
    emailNormalized = null;
  }

  public boolean is(UUID memberId) {
    return this.memberId != null && this.memberId.equals(memberId);
  }

  /** Null for a guest. */
  public UUID memberId() {
    return memberId;
  }

  /** Null until Stripe tells it, and after erasure. */
  public String email() {
    return email;
  }
}
