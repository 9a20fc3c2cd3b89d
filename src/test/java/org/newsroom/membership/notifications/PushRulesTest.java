package org.newsroom.membership.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.platform.ProblemException;

class PushRulesTest {

  private static final List<String> HOSTS =
      List.of("fcm.googleapis.com", "*.push.services.mozilla.com", " *.notify.windows.com ");

  private PushRules rules() {
    PushRules rules = new PushRules();
    rules.pushHosts = HOSTS;
    rules.knownTopics = List.of("breaking", "sport");
    rules.insecureHosts = List.of(" ");
    return rules;
  }

  @Test
  void aWildcardMatchesSubdomainsOnlyNeverALookalike() {
    assertThat(PushRules.matchesAny("updates.push.services.mozilla.com", HOSTS)).isTrue();
    assertThat(PushRules.matchesAny("wns2-db5p.notify.windows.com", HOSTS)).isTrue();
    assertThat(PushRules.matchesAny("push.services.mozilla.com", HOSTS)).isFalse();
    assertThat(PushRules.matchesAny("evilpush.services.mozilla.com", HOSTS)).isFalse();
    assertThat(PushRules.matchesAny("fcm.googleapis.com.evil.example", HOSTS)).isFalse();
  }

  @Test
  void anEndpointMustBeHttpsOnAnAllowedPushHost() {
    PushRules rules = rules();
    rules.checkEndpoint("https://fcm.googleapis.com/fcm/send/abc");
    for (String bad :
        List.of(
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://169.254.169.254/latest/meta-data",
            "https://user@fcm.googleapis.com/x",
            "https://localhost/x",
            "file:///etc/passwd",
            "not a url")) {
      assertThatThrownBy(() -> rules.checkEndpoint(bad))
          .as(bad)
          .isInstanceOf(ProblemException.class)
          .extracting(e -> ((ProblemException) e).status())
          .isEqualTo(400);
    }
  }

  @Test
  void keysMustHaveTheSizesRfc8291Fixes() {
    byte[] point = new byte[65];
    point[0] = 4;
    PushRules.checkP256dh(Base64.getUrlEncoder().withoutPadding().encodeToString(point));
    PushRules.checkAuth(Base64.getUrlEncoder().encodeToString(new byte[16]));
    assertThatThrownBy(
            () -> PushRules.checkP256dh(Base64.getUrlEncoder().encodeToString(new byte[65])))
        .isInstanceOf(ProblemException.class);
    assertThatThrownBy(
            () -> PushRules.checkAuth(Base64.getUrlEncoder().encodeToString(new byte[8])))
        .isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> PushRules.checkAuth("***")).isInstanceOf(ProblemException.class);
  }

  @Test
  void onlyKnownTopicsAndAtLeastOne() {
    PushRules rules = rules();
    assertThat(rules.checkTopics(List.of("sport", "sport"))).containsExactly("sport");
    assertThatThrownBy(() -> rules.checkTopics(List.of("gossip")))
        .isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> rules.checkTopics(List.of())).isInstanceOf(ProblemException.class);
  }
}
