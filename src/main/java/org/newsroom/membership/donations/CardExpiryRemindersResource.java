package org.newsroom.membership.donations;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.newsroom.membership.accounts.Member;
import org.newsroom.membership.accounts.Role;
import org.newsroom.membership.accounts.StaffAccess;
import org.newsroom.membership.accounts.StaffOnly;
import org.newsroom.membership.platform.AuditLog;

/**
 * An extension of the contract, like {@code POST /api/admin/stripe-sync}: an administrator sends
 * the due card expiry reminders now instead of waiting for the hourly job.
 */
@Path("admin/card-expiry-reminders")
@StaffOnly(area = "card-expiry-reminders", value = Role.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class CardExpiryRemindersResource {

  @Inject StaffAccess access;
  @Inject AuditLog auditLog;
  @Inject CardExpiryReminderJob job;

  @POST
  public CardExpiryReminderJob.Result run() {
    Member admin = access.admitted();
    CardExpiryReminderJob.Result result = job.run(Instant.now());
    auditLog.record(
        admin.id().toString(),
        "recovery.card-expiry-reminders",
        "recurring_contribution",
        Json.createObjectBuilder()
            .add("ran", result.ran())
            .add("reminded", result.reminded())
            .build());
    return result;
  }
}
