package org.newsroom.membership.testing;

import jakarta.mail.Address;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading what the test server's GreenMail received, by recipient and subject. */
public final class Mailbox {

  private static final Pattern LINK = Pattern.compile("https?://[^\\s\"<>]+");

  private final TestServer server;

  public Mailbox(TestServer server) {
    this.server = server;
  }

  public List<MimeMessage> to(String email) {
    return Arrays.stream(server.smtp.getReceivedMessages()).filter(m -> isTo(m, email)).toList();
  }

  public List<String> subjectsTo(String email) {
    return to(email).stream().map(Mailbox::subject).toList();
  }

  /** Every text part of every mail to the address with the subject, decoded. */
  public List<String> textsTo(String email, String subjectStart) {
    return to(email).stream()
        .filter(m -> subject(m).startsWith(subjectStart))
        .map(Mailbox::text)
        .toList();
  }

  /** The bytes of the first attached file of the mail. */
  public static byte[] attachment(MimeMessage message) {
    try {
      if (message.getContent() instanceof MimeMultipart parts) {
        for (int i = 0; i < parts.getCount(); i++) {
          Part part = parts.getBodyPart(i);
          if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return part.getInputStream().readAllBytes();
          }
        }
      }
      throw new AssertionError("no attachment in " + subject(message));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String text(Part part) {
    try {
      Object content = part.getContent();
      if (content instanceof MimeMultipart multipart) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < multipart.getCount(); i++) {
          text.append(text(multipart.getBodyPart(i))).append('\n');
        }
        return text.toString();
      }
      return String.valueOf(content);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every http(s) link in the mail's parts, as a mail client would open it. */
  public static Set<String> links(Part part) {
    Set<String> links = new TreeSet<>();
    Matcher link = LINK.matcher(text(part));
    while (link.find()) {
      links.add(link.group().replace("&amp;", "&"));
    }
    return links;
  }

  private static boolean isTo(MimeMessage message, String email) {
    try {
      Address[] to = message.getAllRecipients();
      return to != null && Arrays.stream(to).anyMatch(a -> a.toString().equalsIgnoreCase(email));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
