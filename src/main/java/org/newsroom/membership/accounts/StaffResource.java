package org.newsroom.membership.accounts;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.newsroom.membership.platform.ClientAddress;

@Path("admin/staff")
@StaffOnly(area = "staff", value = Role.ADMIN)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StaffResource {

  @Inject Accounts accounts;
  @Inject StaffAccess access;
  @Inject ClientAddress clientAddress;
  @Inject SupporterStatus supporterStatus;
  @Context HttpServletRequest request;

  /** Sets the member's staff roles to exactly those given; READER always stays. ADMIN only. */
  @POST
  public MemberView setRoles(AccountRequests.StaffRoles body) {
    Member admin = access.admitted();
    Member member = accounts.setStaffRoles(admin.id(), body, clientAddress.of(request));
    return MemberView.of(member, supporterStatus.isSupporter(member.id()));
  }
}
