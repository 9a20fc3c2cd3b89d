package org.newsroom.membership.accounts;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.newsroom.membership.platform.AuditLog;
import org.newsroom.membership.platform.ClientAddress;

@Path("me")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

  @Inject Accounts accounts;
  @Inject Members members;
  @Inject Caller caller;
  @Inject SessionCookies cookies;
  @Inject ClientAddress clientAddress;
  @Inject SupporterStatus supporterStatus;
  @Inject MyDataExport myData;
  @Inject AuditLog auditLog;
  @Context HttpServletRequest request;

  @GET
  public MemberView me() {
    return view(members.get(caller.memberId()));
  }

  @PATCH
  public MemberView changeProfile(AccountRequests.ProfileChange body) {
    return view(accounts.changeProfile(caller.memberId(), body));
  }

  /** Every other session of the member is signed out. */
  @POST
  @Path("password")
  public Response changePassword(AccountRequests.PasswordChange body) {
    accounts.changePassword(caller.memberId(), caller.tokenHash(), body, clientAddress.of(request));
    return Response.noContent().build();
  }

  @GET
  @Path("data")
  public MyDataExport.Document data() {
    auditLog.record(
        caller.memberId().toString(), "member.data-export", caller.memberId().toString(), null);
    return myData.of(caller.memberId());
  }

  @DELETE
  public Response delete(AccountRequests.PasswordConfirmation body) {
    accounts.delete(caller.memberId(), body.password(), clientAddress.of(request));
    return Response.noContent().header("Set-Cookie", cookies.clear()).build();
  }

  private MemberView view(Member member) {
    UUID id = member.id();
    return MemberView.of(member, supporterStatus.isSupporter(id));
  }
}
