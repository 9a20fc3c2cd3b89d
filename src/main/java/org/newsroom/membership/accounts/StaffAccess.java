package org.newsroom.membership.accounts;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.logging.Logger;
import org.newsroom.membership.platform.AuditLog;
import org.newsroom.membership.platform.ClientAddress;
import org.newsroom.membership.platform.ProblemException;

/**
 * Who may use a staff endpoint (finance reports, the audit log, the support desk, the dashboard,
 * alerts and the admin endpoints), asked by {@link StaffGate} for every {@link StaffOnly} request.
 * Refusals are written to the security log; a refused signed-in member is also written to the audit
 * log, aggregated per actor, action and minute (an anonymous refusal is not audited at all), so
 * that nobody can grow the table without bound.
 */
@RequestScoped
public class StaffAccess {

  private static final Logger LOG = Logger.getLogger("org.newsroom.membership.security");

  @Inject Caller caller;
  @Inject AuditLog auditLog;
  @Inject ClientAddress clientAddress;
  @Inject HttpServletRequest request;

  private Member admitted;

  /** The member {@link StaffGate} let through to this request's staff endpoint. */
  public Member admitted() {
    if (admitted == null) {
      throw new IllegalStateException("Not a @StaffOnly endpoint");
    }
    return admitted;
  }

  /** Lets the caller in if they hold one of the roles; 401 or 403 (logged and audited) if not. */
  void admit(String what, Role... roles) {
    try {
      admitted = caller.requireAnyRole(roles);
    } catch (ProblemException refused) {
      String actor = caller.isSignedIn() ? caller.memberId().toString() : "anonymous";
      String address = clientAddress.of(request);
      LOG.warning(
          () ->
              "security event=report-access-denied target="
                  + what
                  + " member="
                  + actor
                  + " address="
                  + address
                  + " status="
                  + refused.status());
      if (caller.isSignedIn()) {
        try {
          auditLog.recordRefusal(
              actor,
              "access.denied",
              what,
              Json.createObjectBuilder()
                  .add("status", refused.status())
                  .add("required", Arrays.toString(roles))
                  .add("path", request.getRequestURI())
                  .build());
        } catch (RuntimeException auditUnavailable) {
          // The refusal stands either way; the security log line above has it.
          LOG.warning(() -> "Refusal not audited: " + auditUnavailable.getMessage());
        }
      }
      throw refused;
    }
  }
}
