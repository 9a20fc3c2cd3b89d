package org.newsroom.membership.notifications;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.newsroom.membership.accounts.Caller;
import org.newsroom.membership.platform.ClientAddress;

/** Opting in to alerts from an article page (an article-page path, API.md "Cross-origin scope"). */
@Path("notifications/subscriptions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {

  @Inject Subscriptions subscriptions;
  @Inject PushRules rules;
  @Inject Vapid vapid;
  @Inject Caller caller;
  @Inject ClientAddress clientAddress;
  @Context HttpServletRequest request;

  /** Subscribes, or changes the topics of the caller's subscription; the same answer for both. */
  @POST
  public Response subscribe(Subscriptions.Subscribe body) {
    Subscriptions.SubscriptionView view =
        subscriptions.subscribe(
            body, caller.isSignedIn() ? caller.memberId() : null, clientAddress.of(request));
    return Response.ok(view).build();
  }

  @DELETE
  public Response unsubscribe(Subscriptions.Unsubscribe body) {
    subscriptions.unsubscribe(body, clientAddress.of(request));
    return Response.noContent().build();
  }

  /** The topics offered and the VAPID key a browser subscribes with. */
  @GET
  @Path("options")
  public Map<String, Object> options() {
    return Map.of(
        "topics",
        List.copyOf(rules.topics()),
        "applicationServerKey",
        vapid.applicationServerKey());
  }

  /** The signed-in member's subscriptions, for my-account. */
  @GET
  public List<Subscriptions.MemberSubscription> mine() {
    return subscriptions.of(caller.memberId());
  }
}
