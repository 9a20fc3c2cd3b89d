package org.newsroom.membership.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedOriginsTest {

  private final AllowedOrigins origins = new AllowedOrigins();

  AllowedOriginsTest() {
    origins.configured = List.of("https://www.example.org", " https://blog.example.org:8443 ");
    origins.publicBaseUrl = "https://members.example.org";
    origins.init();
  }

  @Test
  void exactOriginsAndThePublicBaseUrlAreAllowed() {
    assertThat(origins.allows("https://www.example.org")).isTrue();
    assertThat(origins.allows("https://blog.example.org:8443")).isTrue();
    assertThat(origins.allows("https://members.example.org")).isTrue();
  }

  @Test
  void lookalikesAreNot() {
    assertThat(origins.allows("http://www.example.org")).isFalse();
    assertThat(origins.allows("https://www.example.org.evil.com")).isFalse();
    assertThat(origins.allows("https://evilwww.example.org")).isFalse();
    assertThat(origins.allows("https://blog.example.org")).isFalse();
    assertThat(origins.allows("null")).isFalse();
    assertThat(origins.allows(null)).isFalse();
  }

  @Test
  void urlsAreJudgedByTheirOrigin() {
    assertThat(origins.allowsUrl("https://www.example.org/thanks?x=1")).isTrue();
    assertThat(origins.allowsUrl("https://www.example.org:443/thanks")).isTrue();
    assertThat(origins.allowsUrl("javascript:alert(1)")).isFalse();
    assertThat(origins.allowsUrl("//www.example.org/x")).isFalse();
    assertThat(origins.allowsUrl("not a url")).isFalse();
  }
}
