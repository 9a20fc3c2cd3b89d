package org.newsroom.membership.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.MailOutbox;

/**
 * The mails accounts send. Links are built from {@code public.base-url} only, never from the
 * request's Host header, so a forged Host cannot send a reset link to an attacker's site.
 */
@ApplicationScoped
public class AccountMails {

  @Inject MailOutbox outbox;

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  @Inject
  @ConfigProperty(name = "site.name")
  String siteName;

  void verifyEmail(UUID memberId, String to, String token) {
    String link = link("/verify-email", token);
    send(
        memberId,
        to,
        "Confirm your email address",
        "Thank you for registering with " + siteName + ".",
        "Confirm your address by opening this link within 48 hours:",
        link);
  }

  void signInLink(UUID memberId, String to, String token) {
    send(
        memberId,
        to,
        "Your sign-in link",
        "Someone (we hope you) asked for a link to sign in to " + siteName + ".",
        "Open it within 15 minutes to sign in. If it was not you, ignore this mail.",
        link("/sign-in-link", token));
  }

  void passwordReset(UUID memberId, String to, String token) {
    send(
        memberId,
        to,
        "Reset your password",
        "Someone (we hope you) asked to reset the password of your " + siteName + " account.",
        "Choose a new password within one hour with this link. If it was not you, ignore this"
            + " mail; your password stays as it is.",
        link("/reset-password", token));
  }

  void passwordChanged(UUID memberId, String to) {
    send(
        memberId,
        to,
        "Your password was changed",
        "The password of your "
            + siteName
            + " account was just changed and every other"
            + " session signed out.",
        "If this was not you, reset your password at once:",
        publicBaseUrl + "/forgot-password");
  }

  /** Tied to nobody: the row must not point back at the erased member once delivered. */
  void accountDeleted(String to) {
    send(
        null,
        to,
        "Your account was deleted",
        "Your "
            + siteName
            + " account and the personal data it held were deleted, as you asked."
            + " Records of past payments are kept, without your name, as the law requires.",
        "Thank you for your support. You are welcome back any time:",
        publicBaseUrl);
  }

  private String link(String path, String token) {
    return publicBaseUrl + path + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  /** Queues a mail built from the one layout every account mail shares. */
  public void send(
      UUID memberId, String to, String subject, String opening, String instruction, String link) {
    String text = opening + "\n\n" + instruction + "\n" + link + "\n\n" + siteName + "\n";
    String html =
        "<!doctype html><html><body style=\"font-family:sans-serif\"><p>"
            + escape(opening)
            + "</p><p>"
            + escape(instruction)
            + "</p><p><a href=\""
            + escape(link)
            + "\">"
            + escape(link)
            + "</a></p><p>"
            + escape(siteName)
            + "</p></body></html>";
    outbox.queue(memberId, to, subject, text, html);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
