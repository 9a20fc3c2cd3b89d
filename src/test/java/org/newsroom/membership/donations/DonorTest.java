package org.newsroom.membership.donations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who gave is learnt late and never rewritten by a later claim. */
class DonorTest {

  private static final UUID MEMBER = UUID.randomUUID();

  @Test
  void aGuestGiftLearnsItsAddressOnceAndALaterAddressDoesNotReplaceIt() {
    Donor donor = new Donor();
    donor.learn(null, "Reader@Example.org");
    donor.learn(null, "someone-else@example.org");

    assertThat(donor.email()).isEqualTo("Reader@Example.org");
    assertThat(donor.memberId()).isNull();
    assertThat(donor.is(null)).isFalse();
  }

  @Test
  void aMemberOnceKnownIsNotReplacedByAnotherClaimButAttachingMovesTheGift() {
    Donor donor = new Donor();
    donor.learn(MEMBER, null);
    donor.learn(UUID.randomUUID(), "reader@example.org");

    assertThat(donor.is(MEMBER)).isTrue();
    assertThat(donor.email()).isEqualTo("reader@example.org");

    UUID provedTheAddress = UUID.randomUUID();
    donor.attachTo(provedTheAddress);
    assertThat(donor.is(provedTheAddress)).isTrue();
  }

  @Test
  void erasureForgetsTheAddressButKeepsTheGiftsMember() {
    Donor donor = new Donor();
    donor.learn(MEMBER, "reader@example.org");
    donor.pseudonymise();

    assertThat(donor.email()).isNull();
    assertThat(donor.memberId()).isEqualTo(MEMBER);
  }
}
