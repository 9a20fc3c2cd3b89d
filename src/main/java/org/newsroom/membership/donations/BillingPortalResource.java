package org.newsroom.membership.donations;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.Caller;
import org.newsroom.membership.platform.AllowedOrigins;
import org.newsroom.membership.platform.ProblemException;

/** A link into Stripe's customer portal, where the reader changes their card. */
@Path("me/billing-portal")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class BillingPortalResource {

  public record Portal(@Size(max = 2000) String returnUrl) {}

  @Inject Contributions contributions;
  @Inject Caller caller;
  @Inject AllowedOrigins allowedOrigins;

  @Inject
  @ConfigProperty(name = "public.base-url")
  String publicBaseUrl;

  @POST
  public Map<String, String> billingPortal(Portal body) {
    UUID memberId = caller.memberId();
    String returnUrl = body == null || body.returnUrl() == null ? null : body.returnUrl();
    if (returnUrl != null && !allowedOrigins.allowsUrl(returnUrl)) {
      throw ProblemException.validation("returnUrl", "is not on one of our sites");
    }
    return Map.of(
        "url",
        contributions.billingPortal(memberId, returnUrl != null ? returnUrl : publicBaseUrl + "/"));
  }
}
