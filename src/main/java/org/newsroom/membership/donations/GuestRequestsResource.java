package org.newsroom.membership.donations;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.newsroom.membership.platform.ClientAddress;

/**
 * A guest donor's rights by email (an addition to the contract): {@code POST /api/guest-requests}
 * {@code {email, purpose: DATA|ERASE}} answers 202 whatever the address; a mailed link proves it;
 * {@code POST /api/guest-requests/data} and {@code .../erase} with {@code {token}} act on it.
 */
@Path("guest-requests")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class GuestRequestsResource {

  @Inject GuestRequests requests;
  @Inject ClientAddress clientAddress;
  @Context HttpServletRequest request;

  public record Ask(
      @NotBlank @Email @Size(max = 320) String email, @NotNull GuestRequests.Purpose purpose) {}

  public record TokenOnly(@NotNull @Size(max = 200) String token) {}

  @POST
  public Response ask(Ask body) {
    requests.ask(body.email(), body.purpose(), clientAddress.of(request));
    return Response.accepted().build();
  }

  @POST
  @Path("data")
  public Contributions.GuestData data(TokenOnly body) {
    return requests.data(body.token());
  }

  @POST
  @Path("erase")
  public Response erase(TokenOnly body) {
    requests.erase(body.token());
    return Response.noContent().build();
  }
}
