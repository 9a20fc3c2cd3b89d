package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LogIdentifiersTest {

  @Test
  void anAddressIsOneIdentifierWhateverItsCaseAndNeverItsPlainHash() throws Exception {
    String id = LogIdentifiers.ofEmail(" Ada@Example.ORG ");
    assertThat(id).isEqualTo(LogIdentifiers.ofEmail("ada@example.org")).hasSize(16);
    String plain =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest("ada@example.org".getBytes(StandardCharsets.UTF_8)));
    // Anyone holding a list of addresses can recompute a plain hash; the keyed one they cannot.
    assertThat(plain).doesNotContain(id);
    assertThat(id).doesNotContain("ada", "example");
    assertThat(LogIdentifiers.ofEmail(null)).isEqualTo("-");
  }
}
