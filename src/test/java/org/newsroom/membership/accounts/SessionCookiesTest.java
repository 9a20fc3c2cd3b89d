package org.newsroom.membership.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The session cookie read straight from the Cookie header, among the article site's cookies. */
class SessionCookiesTest {

  @Test
  void theSessionCookieIsFoundAmongOthersWhereverItStands() {
    assertThat(SessionCookies.cookieValue("session=abc", "session")).isEqualTo("abc");
    assertThat(SessionCookies.cookieValue("a=1; session=abc; b=2", "session")).isEqualTo("abc");
    assertThat(SessionCookies.cookieValue("a=1;session=abc", "session")).isEqualTo("abc");
    assertThat(SessionCookies.cookieValue("a=1; session=\"abc\"", "session")).isEqualTo("abc");
  }

  @Test
  void aCookieWhoseNameOnlyContainsOrStartsLikeTheSessionCookiesIsNotIt() {
    assertThat(SessionCookies.cookieValue("xsession=abc; sessions=def", "session")).isNull();
    assertThat(SessionCookies.cookieValue("__Host-session=abc", "session")).isNull();
    assertThat(SessionCookies.cookieValue("a=session=abc", "session")).isNull();
    assertThat(SessionCookies.cookieValue("session", "session")).isNull();
    assertThat(SessionCookies.cookieValue("", "session")).isNull();
  }

  @Test
  void theFirstOfTwoSessionCookiesWins() {
    assertThat(SessionCookies.cookieValue("session=first; session=second", "session"))
        .isEqualTo("first");
    assertThat(SessionCookies.cookieValue("__Host-session=abc; session=x", "__Host-session"))
        .isEqualTo("abc");
  }
}
