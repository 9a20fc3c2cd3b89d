package org.newsroom.membership.entitlements;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.accounts.Caller;
import org.newsroom.membership.accounts.SessionCookies;

/**
 * {@code GET /api/entitlements/token}: the same facts as the entitlement check, signed (ES256), so
 * the site's edge can decide without calling this service. Also set as the {@code entitlements}
 * cookie, readable by the page's own scripts.
 */
@Path("entitlements/token")
@Produces(MediaType.APPLICATION_JSON)
public class EntitlementTokenResource {

  @Inject Caller caller;
  @Inject Entitlements entitlements;
  @Inject SigningKeys keys;
  @Inject SessionCookies sessionCookies;

  @Inject
  @ConfigProperty(name = "entitlements.token-minutes")
  int tokenMinutes;

  /** The issuer an edge checks: this service. */
  @Inject
  @ConfigProperty(name = "public.base-url")
  String issuer;

  /** The audience: the article sites allowed to ask, each of which may check it is named. */
  @Inject
  @ConfigProperty(name = "cors.allowed-origins")
  List<String> audience;

  public record SignedEntitlements(String token, Instant expiresAt) {}

  @GET
  public Response token() throws JOSEException {
    EntitlementSnapshot snapshot =
        caller.isSignedIn()
            ? entitlements.snapshotFor(caller.memberId()).orElse(entitlements.anonymous())
            : entitlements.anonymous();
    Duration lifetime = Duration.ofMinutes(Math.min(tokenMinutes, 15));
    Instant now = Instant.now();
    Instant expiresAt = now.plus(lifetime);
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .claim("supporter", snapshot.supporter())
            .claim("showSupportAsk", snapshot.showSupportAsk())
            .issuer(issuer)
            .audience(audience.stream().map(String::trim).filter(a -> !a.isEmpty()).toList())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expiresAt));
    if (caller.isSignedIn()) {
      claims.subject(caller.memberId().toString());
    }
    var key = keys.current();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims.build());
    jwt.sign(new ECDSASigner(key));
    String token = jwt.serialize();
    String cookie =
        "entitlements="
            + token
            + "; Path=/; Max-Age="
            + lifetime.toSeconds()
            // On the session's domain (e.g. .example.org), so the article site's edge receives it.
            + sessionCookies.domain().map(d -> "; Domain=" + d).orElse("")
            + (sessionCookies.secure() ? "; Secure" : "")
            + "; SameSite=Lax";
    return Response.ok(new SignedEntitlements(token, expiresAt))
        .header("Cache-Control", "no-store")
        .header("Set-Cookie", cookie)
        .build();
  }
}
