package org.newsroom.membership.platform;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

@ApplicationPath("/api")
@OpenAPIDefinition(
    info =
        @Info(
            title = "Membership and donations",
            version = "1",
            description =
                "Accounts, the article-page entitlement check, Stripe donations and finance"
                    + " reports. Errors are RFC 9457 application/problem+json."))
public class MembershipApplication extends Application {}
