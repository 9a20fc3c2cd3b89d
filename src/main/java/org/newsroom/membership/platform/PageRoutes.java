package org.newsroom.membership.platform;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * The clean addresses that mails link to ({@code /verify-email?token=…}, {@code
 * /reset-password?token=…}, {@code /sign-in-link?token=…}, {@code /forgot-password}) show the page
 * of the same name. Links already sent must keep working, so these paths are fixed.
 */
@WebServlet(urlPatterns = {"/verify-email", "/reset-password", "/sign-in-link", "/forgot-password"})
public class PageRoutes extends HttpServlet {

  static final Set<String> PATHS =
      Set.of("/verify-email", "/reset-password", "/sign-in-link", "/forgot-password");

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    // A forward keeps the query string (the token) for the page's script to read.
    request.getRequestDispatcher(request.getServletPath() + ".html").forward(request, response);
  }
}
