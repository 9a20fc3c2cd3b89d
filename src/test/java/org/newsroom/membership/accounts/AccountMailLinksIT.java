package org.newsroom.membership.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newsroom.membership.accounts.Readers.json;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Mailbox;
import org.newsroom.membership.testing.SharedServer;
import org.newsroom.membership.testing.TestServer;

/**
 * Every link in every mail about a reader's account opens a page that exists, as DonationsIT checks
 * for the mails about their giving: the link is fetched as the reader's mail client would, and must
 * answer 200 with an HTML page.
 */
@SharedServer
class AccountMailLinksIT {

  private final TestServer server;

  AccountMailLinksIT(TestServer server) {
    this.server = server;
  }

  @Test
  void everyLinkInEveryAccountMailOpensAPage() throws Exception {
    Readers.Reader reader = Readers.register(server, "mail-links");
    assertThat(server.api().post("/api/session/links", json("email", reader.email())).status())
        .isEqualTo(202);
    assertThat(server.api().post("/api/password-resets", json("email", reader.email())).status())
        .isEqualTo(202);
    String newPassword = Readers.strongPassword();
    Api.Response changed =
        reader
            .api()
            .post(
                "/api/me/password",
                json("currentPassword", reader.password(), "newPassword", newPassword));
    assertThat(changed.status()).as(changed.body()).isBetween(200, 204);
    Set<String> links = new TreeSet<>();
    // Each mail is awaited before the account is deleted: deleting it erases mails still queued.
    for (String subject :
        List.of(
            Readers.VERIFY_SUBJECT,
            Readers.SIGN_IN_LINK_SUBJECT,
            Readers.RESET_SUBJECT,
            Readers.PASSWORD_CHANGED_SUBJECT)) {
      collectLinks(reader.email(), subject, links);
    }
    Api again = server.api();
    assertThat(again.signIn(reader.email(), newPassword).status()).isEqualTo(200);
    Api.Response deleted = again.delete("/api/me", json("password", newPassword));
    assertThat(deleted.status()).as(deleted.body()).isBetween(200, 204);
    collectLinks(reader.email(), Readers.DELETED_SUBJECT, links);

    assertThat(links).allMatch(link -> link.startsWith(server.baseUrl));
    for (String link : links) {
      Api.Response page = server.api().get(link.substring(server.baseUrl.length()));
      assertThat(page.status()).as(link).isEqualTo(200);
      assertThat(page.contentType()).as(link).startsWith("text/html");
    }
  }

  private void collectLinks(String email, String subject, Set<String> links) {
    Set<String> found = Mailbox.links(Readers.awaitMail(server, email, subject));
    assertThat(found).as("links in \"" + subject + "\"").isNotEmpty();
    links.addAll(found);
  }
}
