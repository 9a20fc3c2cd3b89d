package org.newsroom.membership.reports;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.newsroom.membership.accounts.Role;
import org.newsroom.membership.accounts.StaffAccess;
import org.newsroom.membership.accounts.StaffOnly;
import org.newsroom.membership.platform.AuditLog;
import org.newsroom.membership.platform.ProblemException;

/**
 * The audit log for administrators: entries between two local dates, oldest first, a page of at
 * most {@value #PAGE} at a time with a cursor to the next. Each page is streamed row by row, so
 * memory stays flat whatever the range holds.
 */
@Path("audit")
@StaffOnly(area = "audit", value = Role.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

  static final int PAGE = 1000;

  @Inject StaffAccess access;
  @Inject AuditLog auditLog;

  @Inject @ConfigProperties ReportSettings settings;

  @GET
  public Response list(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("tz") String tz,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    ReportRange range = settings.range(from, to, tz);
    AuditLog.Cursor after = null;
    if (cursor != null && !cursor.isBlank()) {
      after = AuditLog.Cursor.decode(cursor);
      if (after == null) {
        throw ProblemException.validation("cursor", "is not a cursor this service issued");
      }
    }
    if (limit != null && (limit < 1 || limit > PAGE)) {
      throw ProblemException.validation("limit", "must be between 1 and " + PAGE);
    }
    int pageSize = limit == null ? PAGE : limit;
    AuditLog.Cursor start = after;
    StreamingOutput body =
        out -> {
          Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          try (JsonGenerator json = Json.createGenerator(writer)) {
            json.writeStartObject().writeStartArray("entries");
            AuditLog.Cursor next =
                auditLog.page(
                    range.start(),
                    range.end(),
                    start,
                    pageSize,
                    entry -> {
                      json.writeStartObject()
                          .write("at", entry.at().toString())
                          .write("actor", entry.actor())
                          .write("action", entry.action());
                      if (entry.target() == null) {
                        json.writeNull("target");
                      } else {
                        json.write("target", entry.target());
                      }
                      if (entry.details() == null) {
                        json.writeNull("details");
                      } else {
                        json.write("details", entry.details());
                      }
                      json.write("count", entry.count()).writeEnd();
                    });
            json.writeEnd();
            if (next == null) {
              json.writeNull("next");
            } else {
              json.write("next", next.encode());
            }
            json.writeEnd();
          }
        };
    return Response.ok(body, MediaType.APPLICATION_JSON_TYPE)
        .header("Cache-Control", "no-store")
        .build();
  }
}
