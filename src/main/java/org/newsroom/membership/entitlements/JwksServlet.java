package org.newsroom.membership.entitlements;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /.well-known/jwks.json}: the public keys that verify entitlement tokens. */
@WebServlet("/.well-known/jwks.json")
public class JwksServlet extends HttpServlet {

  @Inject SigningKeys keys;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("application/jwk-set+json;charset=UTF-8");
    // Short enough that a rotated key is picked up well within a token's lifetime.
    response.setHeader("Cache-Control", "public, max-age=300");
    response.setHeader("Access-Control-Allow-Origin", "*");
    response.getWriter().write(keys.publicKeys().toString(true));
  }
}
