package org.newsroom.membership.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.newsroom.membership.testing.Api;
import org.newsroom.membership.testing.Postgres;
import org.newsroom.membership.testing.TestServer;

/** What the accounts integration tests share: readers' passwords, their mailboxes, problems. */
final class Readers {

  static final String VERIFY_SUBJECT = "Confirm your email address";
  static final String SIGN_IN_LINK_SUBJECT = "Your sign-in link";
  static final String RESET_SUBJECT = "Reset your password";
  static final String PASSWORD_CHANGED_SUBJECT = "Your password was changed";
  static final String DELETED_SUBJECT = "Your account was deleted";

  private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_-]{43})");

  private Readers() {}

  /** A password no list of common passwords has. */
  static String strongPassword() {
    return "Lantern-" + UUID.randomUUID().toString().substring(0, 12) + "-quay";
  }

  static String json(Object... namesAndValues) {
    JsonObjectBuilder object = Json.createObjectBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = (String) namesAndValues[i];
      Object value = namesAndValues[i + 1];
      if (value instanceof String s) {
        object.add(name, s);
      } else if (value instanceof Boolean b) {
        object.add(name, b);
      } else if (value instanceof Integer n) {
        object.add(name, n);
      } else if (value instanceof String[] values) {
        var array = Json.createArrayBuilder();
        for (String v : values) {
          array.add(v);
        }
        object.add(name, array);
      } else if (value == null) {
        object.addNull(name);
      } else {
        throw new IllegalArgumentException("No JSON for " + value);
      }
    }
    return object.build().toString();
  }

  /** A new reader, registered and signed in, with the password it registered with. */
  record Reader(Api api, String email, String password, JsonObject member) {
    String token() {
      return api.sessionToken();
    }

    String id() {
      return member.getString("id");
    }
  }

  static Reader register(TestServer server, String name) {
    Api api = server.api();
    String email = Api.uniqueEmail(name);
    String password = strongPassword();
    JsonObject member = api.register(email, password);
    return new Reader(api, email, password, member);
  }

  /** Another device of the same reader: its own client, its own session. */
  static Api signedInElsewhere(TestServer server, Reader reader) {
    Api other = server.api();
    Api.Response signIn = other.signIn(reader.email(), reader.password());
    assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
    return other;
  }

  /** A client that presents the given token as its session cookie. */
  static Api withToken(TestServer server, String token) {
    return server.api().withSessionToken(token);
  }

  /** The messages GreenMail received for {@code recipient} with {@code subject}, oldest first. */
  static List<MimeMessage> mailsTo(TestServer server, String recipient, String subject) {
    List<MimeMessage> found = new ArrayList<>();
    try {
      for (MimeMessage message : server.smtp.getReceivedMessages()) {
        if (subject.equals(message.getSubject()) && isFor(message, recipient)) {
          found.add(message);
        }
      }
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  /** Waits until {@code count} such mails arrived (other tests send mail too) and returns them. */
  static List<MimeMessage> awaitMails(
      TestServer server, String recipient, String subject, int count, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      List<MimeMessage> found = mailsTo(server, recipient, subject);
      if (found.size() >= count) {
        return found;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "Expected "
                + count
                + " mail(s) '"
                + subject
                + "' to "
                + recipient
                + " within "
                + timeout
                + ", got "
                + found.size());
      }
      sleep(Duration.ofMillis(250));
    }
  }

  static MimeMessage awaitMail(TestServer server, String recipient, String subject) {
    return awaitMails(server, recipient, subject, 1, Duration.ofSeconds(30)).get(0);
  }

  /** The n-th (1-based) mail's one-time token, waiting for it to arrive. */
  static String awaitToken(TestServer server, String recipient, String subject, int nth) {
    return tokenIn(
        awaitMails(server, recipient, subject, nth, Duration.ofSeconds(30)).get(nth - 1));
  }

  static String tokenIn(MimeMessage message) {
    Matcher matcher = TOKEN.matcher(text(message));
    assertThat(matcher.find()).as("a token link in " + text(message)).isTrue();
    return matcher.group(1);
  }

  /** The plain-text part of a mail. */
  static String text(Part part) {
    try {
      Object content = part.getContent();
      if (content instanceof String s) {
        return part.isMimeType("text/plain") ? s : "";
      }
      if (content instanceof Multipart multipart) {
        for (int i = 0; i < multipart.getCount(); i++) {
          BodyPart body = multipart.getBodyPart(i);
          String text = text(body);
          if (!text.isEmpty()) {
            return text;
          }
        }
      }
      return "";
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isFor(MimeMessage message, String recipient) throws MessagingException {
    Address[] to = message.getAllRecipients();
    if (to == null) {
      return false;
    }
    for (Address address : to) {
      if (address.toString().equalsIgnoreCase(recipient)) {
        return true;
      }
    }
    return false;
  }

  /** Makes every unused one-time token of the member expire, as if its lifetime had passed. */
  static void expireTokensOf(TestServer server, String memberId) {
    try (Connection c = Postgres.connect(server.schema);
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE one_time_token SET expires_at = now() - interval '1 minute'"
                    + " WHERE member_id = ?")) {
      update.setObject(1, UUID.fromString(memberId));
      assertThat(update.executeUpdate()).isPositive();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fixed windows: starting right after a boundary keeps a burst of attempts in one window. */
  static void startOfAFreshWindow() {
    long window = TestServer.RATE_LIMIT_WINDOW_SECONDS * 1000L;
    long now = System.currentTimeMillis();
    sleep(Duration.ofMillis(window - now % window + 150));
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
