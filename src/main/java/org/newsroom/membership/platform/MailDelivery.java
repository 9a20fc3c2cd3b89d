package org.newsroom.membership.platform;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Delivers queued mail over SMTP, or, with no SMTP host configured, writes each message as an
 * {@code .eml} file under {@code data.dir/mail} so a local user can open the links. Rows are
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so instances never send the same mail twice.
 */
@ApplicationScoped
public class MailDelivery {

  private static final Logger LOG = Logger.getLogger(MailDelivery.class.getName());
  static final int BATCH = 20;

  @PersistenceContext EntityManager em;

  @Inject
  @ConfigProperty(name = "mail.smtp.host")
  Optional<String> smtpHost;

  @Inject
  @ConfigProperty(name = "mail.smtp.port")
  int smtpPort;

  @Inject
  @ConfigProperty(name = "mail.smtp.user")
  Optional<String> smtpUser;

  @Inject
  @ConfigProperty(name = "mail.smtp.password")
  Optional<String> smtpPassword;

  @Inject
  @ConfigProperty(name = "mail.smtp.starttls")
  boolean startTls;

  @Inject
  @ConfigProperty(name = "mail.from")
  String from;

  @Inject
  @ConfigProperty(name = "data.dir")
  String dataDir;

  private Session session;

  @PostConstruct
  void configure() {
    Properties props = new Properties();
    smtpHost.ifPresent(host -> props.put("mail.smtp.host", host));
    props.put("mail.smtp.port", String.valueOf(smtpPort));
    props.put("mail.smtp.connectiontimeout", "5000");
    props.put("mail.smtp.timeout", "10000");
    props.put("mail.smtp.writetimeout", "10000");
    props.put("mail.smtp.starttls.enable", String.valueOf(startTls));
    props.put("mail.smtp.starttls.required", String.valueOf(startTls));
    if (smtpUser.isPresent()) {
      props.put("mail.smtp.auth", "true");
    }
    session = Session.getInstance(props);
    if (smtpHost.isEmpty() || smtpHost.get().isBlank()) {
      LOG.warning(
          "No mail.smtp.host: mails are written as .eml files under "
              + Path.of(dataDir, "mail").toAbsolutePath()
              + ". This is for local runs only: those files hold working sign-in and reset links"
              + " in the clear and are never deleted by the service.");
    }
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public int deliverBatch() {
    @SuppressWarnings("unchecked")
    List<Object> ids =
        em.createNativeQuery(
                "SELECT id FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= ?"
                    + " ORDER BY next_attempt_at FETCH FIRST "
                    + BATCH
                    + " ROWS ONLY FOR UPDATE SKIP LOCKED")
            .setParameter(1, Timestamps.now())
            .getResultList();
    for (Object id : ids) {
      OutboxMail mail = em.find(OutboxMail.class, asUuid(id));
      try {
        deliver(mail);
        mail.sent();
      } catch (MessagingException | IOException e) {
        // Mail servers quote the recipient in their errors; neither the log nor the row keeps it.
        String error = withoutAddress(e.getMessage(), mail.recipient());
        LOG.log(Level.WARNING, "Mail " + mail.id() + " not delivered yet: " + error);
        mail.failed(error);
      }
    }
    return ids.size();
  }

  private void deliver(OutboxMail mail) throws MessagingException, IOException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(from));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.recipient()));
    message.setSubject(mail.subject(), "UTF-8");
    message.setSentDate(new Date());
    MimeBodyPart text = new MimeBodyPart();
    text.setText(mail.textBody(), "UTF-8");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(mail.htmlBody(), "UTF-8", "html");
    MimeMultipart body = new MimeMultipart("alternative", text, html);
    Attachment attachment = mail.attachment();
    if (attachment == null) {
      message.setContent(body);
    } else {
      MimeBodyPart alternatives = new MimeBodyPart();
      alternatives.setContent(body);
      MimeBodyPart file = new MimeBodyPart();
      file.setDataHandler(
          new jakarta.activation.DataHandler(
              new jakarta.mail.util.ByteArrayDataSource(
                  attachment.content(), attachment.contentType())));
      file.setFileName(attachment.name());
      file.setDisposition(jakarta.mail.Part.ATTACHMENT);
      message.setContent(new MimeMultipart("mixed", alternatives, file));
    }
    message.saveChanges();
    if (smtpHost.isPresent() && !smtpHost.get().isBlank()) {
      if (smtpUser.isPresent()) {
        Transport.send(message, smtpUser.get(), smtpPassword.orElse(""));
      } else {
        Transport.send(message);
      }
    } else {
      Path folder = Path.of(dataDir, "mail");
      Files.createDirectories(folder);
      Path file = folder.resolve(System.currentTimeMillis() + "-" + mail.id() + ".eml");
      try (OutputStream out = Files.newOutputStream(file)) {
        message.writeTo(out);
      }
      // The mail's id, never its recipient: logs outlive an erasure.
      LOG.info("Mail " + mail.id() + " written to " + file.toAbsolutePath() + " (local run)");
    }
  }

  static String withoutAddress(String message, String recipient) {
    if (message == null || recipient == null || recipient.isBlank()) {
      return message;
    }
    return java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(recipient.trim()),
            java.util.regex.Pattern.CASE_INSENSITIVE)
        .matcher(message)
        .replaceAll(LogIdentifiers.ofEmail(recipient));
  }

  private static UUID asUuid(Object id) {
    return id instanceof UUID uuid ? uuid : UUID.fromString(id.toString());
  }
}
