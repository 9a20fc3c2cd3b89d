package org.newsroom.membership.entitlements;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EntitlementSnapshotTest {

  @Test
  void survivesTheTripThroughTheCacheUnchanged() {
    EntitlementSnapshot snapshot =
        EntitlementSnapshot.of(
            "{\"signedIn\":true,\n\"x\":1}", true, false, Instant.ofEpochSecond(1_800_000_000));
    assertThat(EntitlementSnapshot.decode(snapshot.encode())).isEqualTo(snapshot);
    EntitlementSnapshot forever = EntitlementSnapshot.of("{}", false, true, null);
    assertThat(EntitlementSnapshot.decode(forever.encode())).isEqualTo(forever);
  }

  @Test
  void theEtagIsStrongAndFollowsTheBody() {
    String a = EntitlementSnapshot.etagOf("{\"supporter\":true}");
    assertThat(a).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
    assertThat(EntitlementSnapshot.etagOf("{\"supporter\":true}")).isEqualTo(a);
    assertThat(EntitlementSnapshot.etagOf("{\"supporter\":false}")).isNotEqualTo(a);
  }
}
