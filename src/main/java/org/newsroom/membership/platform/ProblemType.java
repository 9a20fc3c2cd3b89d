package org.newsroom.membership.platform;

import java.util.Locale;

/**
 * Every kind of error this service answers with: the catalogue behind each problem's {@code type} (
 * <code>{public.base-url}/problems/{slug}</code>, where {@link ProblemTypesServlet} serves this
 * list), with the one status and title it always has. A feature throws {@code new
 * ProblemException(type, detail)}; the detail says what went wrong with this request, the entry
 * here what the kind means and what a client can do about it.
 */
public enum ProblemType {
  VALIDATION(
      400,
      "The request is not valid",
      "A parameter or body field is missing, malformed or out of range. <code>errors</code> names"
          + " each field and what is wrong with it; correct those and send again."),
  MALFORMED_BODY(
      400,
      "The request body could not be read",
      "The body is not JSON, or a value has the wrong type: a string or a fraction where an"
          + " amount in minor units (a JSON integer) belongs, an unknown enum value."),
  MISSING_BODY(400, "Body required", "This request needs a JSON body."),
  INVALID_TOKEN(
      400,
      "Link not valid",
      "The link or token is unknown, already used, expired or meant for another request. Ask"
          + " for a new one."),
  INVALID_SIGNATURE(
      400,
      "Signature not valid",
      "A Stripe webhook whose <code>Stripe-Signature</code> is missing, does not match the body"
          + " under the configured secret, or is too old. Nothing was stored."),
  INVALID_EVENT(
      400,
      "Not a Stripe event",
      "The webhook's signature is good but its body is not an event this service can read."),
  UNAUTHORIZED(
      401,
      "Sign-in required",
      "This needs a signed-in member: the session cookie, or the same token as a bearer token."),
  SIGN_IN_REQUIRED(
      401,
      "Sign-in required",
      "Proving an address that already has an account needs that account: sign in to it, or"
          + " give its password."),
  INVALID_CREDENTIALS(
      401,
      "Sign-in failed",
      "The email or the password is not right. Which one is never said, so that nobody learns"
          + " who has an account."),
  FORBIDDEN(403, "Forbidden", "Signed in, but without a role this needs. The refusal is audited."),
  WRONG_PASSWORD(
      403,
      "Wrong password",
      "A change that asks for the current password again (password, email, deletion) was given"
          + " the wrong one. Repeated wrong passwords are rate limited."),
  CROSS_SITE_REQUEST(
      403,
      "Cross-site request refused",
      "A state-changing request that carries cookies came without an <code>Origin</code> (or"
          + " <code>Referer</code>) from an allowed origin: the CSRF defence."),
  CROSS_ORIGIN_FORBIDDEN(
      403,
      "Not allowed from this origin",
      "Article-page origins may use only the few endpoints API.md names; everything else is"
          + " done from the service's own pages."),
  NOT_FOUND(
      404,
      "Not found",
      "There is nothing at this path, or nothing of the caller's with this id: another reader's"
          + " contribution is as absent as one that never existed."),
  METHOD_NOT_ALLOWED(
      405,
      "Method not allowed",
      "This path does not take that method; <code>Allow</code> lists" + " those it does."),
  ALREADY_VERIFIED(409, "Already verified", "The address is verified already."),
  EMAIL_TAKEN(409, "Email already registered", "Another account has this address."),
  EMAIL_UNVERIFIED(
      409,
      "Address not verified",
      "Staff roles are granted only to an account whose address is verified."),
  LAST_ADMIN(409, "Last admin", "The change would leave the service with no ADMIN."),
  ALERT_EXISTS(
      409,
      "Alert already sent",
      "An alert with this id was sent already: sending is idempotent by id."),
  SUBSCRIPTION_KEYS_DIFFER(
      409,
      "Subscription exists",
      "This push endpoint is subscribed with other keys; unsubscribe in the browser and subscribe"
          + " again."),
  EVENT_REDUCED(
      409,
      "Event no longer held in full",
      "Retention reduced this Stripe event to its id, type and status; there is nothing to"
          + " apply."),
  PAYMENT_DISPUTED(
      409, "Payment disputed", "A disputed payment is settled through the dispute, not refunded."),
  NOTHING_TO_REFUND(
      409, "Nothing to refund", "The payment failed, or all of it has been refunded already."),
  PAYLOAD_TOO_LARGE(
      413,
      "Payload too large",
      "The body is over the limit (<code>http.max-body-bytes</code>, 64 KiB by default; the"
          + " Stripe webhook's own limit for it)."),
  UNSUPPORTED_MEDIA_TYPE(
      415, "Unsupported media type", "Send the body as <code>application/json</code>."),
  TOO_MANY_REQUESTS(
      429,
      "Too many requests",
      "A rate limit was reached; <code>Retry-After</code> says in how many seconds to try"
          + " again."),
  INTERNAL_ERROR(
      500,
      "Internal error",
      "Something failed on our side. The body carries a <code>correlationId</code>; quote it, and"
          + " the log entry with the cause can be found."),
  BUSY(
      503,
      "Service busy",
      "Too many sign-ins are being checked at this moment; <code>Retry-After</code> says"
          + " when to try again."),
  DATABASE_UNAVAILABLE(
      503,
      "Service unavailable",
      "The database cannot be reached for a moment; try again shortly. A sign-in that could not"
          + " be checked is never counted as a wrong password."),
  PAYMENTS_UNAVAILABLE(
      503,
      "Payments unavailable",
      "Stripe cannot be reached, or keeps failing; nothing was charged. Try again later."),
  WEBHOOK_UNAVAILABLE(
      503,
      "Webhook unavailable",
      "Stripe webhooks are not configured, or the event could not be stored; Stripe delivers it"
          + " again later."),
  STARTING(
      503,
      "Service unavailable",
      "The service is starting (its database migrations have not finished); try again"
          + " shortly.");

  private final int status;
  private final String title;
  private final String meaning;

  ProblemType(int status, String title, String meaning) {
    this.status = status;
    this.title = title;
    this.meaning = meaning;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** What the kind means and what a client can do, as HTML for the catalogue page. */
  public String meaning() {
    return meaning;
  }

  /** The last segment of the type URI: {@code email-taken}. */
  public String slug() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
