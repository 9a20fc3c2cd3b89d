package org.newsroom.membership.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The address rate limits count by: the socket's peer, or, behind a trusted proxy that is named in
 * configuration, the last address that proxy appended. Never a header a client chose freely, so a
 * spoofed X-Forwarded-For does not reset a limit.
 */
@ApplicationScoped
public class ClientAddress {

  @Inject
  @ConfigProperty(name = "http.client-address-header")
  Optional<String> trustedHeader;

  public String of(HttpServletRequest request) {
    if (trustedHeader.isPresent() && !trustedHeader.get().isBlank()) {
      String forwarded = request.getHeader(trustedHeader.get());
      if (forwarded != null && !forwarded.isBlank()) {
        // The proxy appends the peer it saw; earlier entries came from the client.
        String[] hops = forwarded.split(",");
        return hops[hops.length - 1].trim();
      }
    }
    return request.getRemoteAddr();
  }
}
