package org.newsroom.membership.accounts;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.EnumSet;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.newsroom.membership.platform.Migrations;

/**
 * The first ADMIN: on start, creates or updates the account named by {@code admin.email} with
 * {@code admin.password}, so a new installation can grant staff roles without touching SQL. An
 * existing account it takes over (one that was not yet a verified ADMIN) is signed out everywhere
 * first: whoever registered the address before cannot keep a session that now carries ADMIN.
 */
@Singleton
@Startup
@DependsOn("Migrations")
public class BootstrapAdmin {

  private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class.getName());

  @PersistenceContext EntityManager em;
  @Inject Members members;
  @Inject Passwords passwords;
  @Inject Migrations migrations;
  @Inject Sessions sessions;
  @Inject TrustedDevices devices;

  @Inject
  @ConfigProperty(name = "admin.email")
  Optional<String> email;

  @Inject
  @ConfigProperty(name = "admin.password")
  Optional<String> password;

  @PostConstruct
  void ensureAdmin() {
    if (email.isEmpty() || email.get().isBlank() || password.isEmpty() || !migrations.completed()) {
      return;
    }
    try {
      String hash = passwords.hash(password.get());
      Member admin =
          members
              .findByEmail(email.get())
              .orElseGet(
                  () -> {
                    Member created = new Member(email.get(), hash, "Administrator", false);
                    em.persist(created);
                    return created;
                  });
      if (!(admin.emailVerified() && admin.hasRole(Role.ADMIN))) {
        sessions.revokeAll(admin.id(), null);
        devices.forgetAll(admin.id());
      }
      admin.changePassword(hash);
      admin.verifyEmail();
      admin.grantStaffRoles(EnumSet.of(Role.ADMIN, Role.FINANCE));
      LOG.info("Bootstrap admin " + admin.id() + " is ready");
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Could not create the bootstrap admin", e);
    }
  }
}
