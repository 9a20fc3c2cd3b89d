package org.newsroom.membership.receipts;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.newsroom.membership.accounts.Caller;
import org.newsroom.membership.platform.ProblemException;

/**
 * The signed-in reader's annual giving statement: {@code format=json} (default), {@code html} or
 * {@code pdf}; or mailed on request.
 */
@Path("me/statements/{year}")
public class StatementsResource {

  @Inject Statements statements;
  @Inject Caller caller;

  @GET
  @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML, "application/pdf"})
  public Response statement(@PathParam("year") String year, @QueryParam("format") String format) {
    int y = yearOf(year);
    String f = format == null ? "json" : format;
    return switch (f) {
      case "json" ->
          Response.ok(statements.of(caller.memberId(), y), MediaType.APPLICATION_JSON).build();
      case "html" ->
          Response.ok(statements.html(caller.memberId(), y), MediaType.TEXT_HTML + ";charset=utf-8")
              .build();
      case "pdf" ->
          Response.ok(statements.pdf(caller.memberId(), y), "application/pdf")
              .header(
                  "Content-Disposition", "attachment; filename=\"giving-statement-" + y + ".pdf\"")
              .build();
      default -> throw ProblemException.validation("format", "must be json, html or pdf");
    };
  }

  @POST
  @Path("mail")
  public Response mail(@PathParam("year") String year) {
    statements.mail(caller.memberId(), yearOf(year));
    return Response.accepted().build();
  }

  private static int yearOf(String year) {
    try {
      return Integer.parseInt(year);
    } catch (NumberFormatException e) {
      throw ProblemException.validation("year", "must be a calendar year such as 2026");
    }
  }
}
