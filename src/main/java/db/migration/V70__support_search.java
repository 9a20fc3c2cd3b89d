package db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Indexes for supporter care's look-ups (issue 15): a reader found by the start of their email or
 * name, or by any Stripe id a reader quotes from a receipt or bank statement.
 *
 * <p>Java rather than SQL because the prefix indexes differ by database and this repository keeps
 * one migration location: PostgreSQL uses a btree for {@code LIKE 'ab%'} only under the C collation
 * or with the {@code varchar_pattern_ops} operator class (production databases usually have
 * en_US.UTF-8), and indexes the lower-cased name as an expression; H2 has neither operator classes
 * nor expression indexes, and already uses the existing unique index on {@code email_normalized}
 * for a prefix {@code LIKE}, so it gets the plain Stripe-id indexes only. Flyway finds this class
 * in the {@code db.migration} package of its default location, beside the SQL files.
 */
public class V70__support_search extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    boolean postgres =
        c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    try (Statement s = c.createStatement()) {
      if (postgres) {
        s.execute(
            "CREATE INDEX member_email_prefix ON member (email_normalized varchar_pattern_ops)");
        s.execute(
            "CREATE INDEX member_name_prefix ON member (LOWER(display_name) varchar_pattern_ops)");
      }
      s.execute(
          "CREATE INDEX recurring_contribution_customer"
              + " ON recurring_contribution (stripe_customer_id)");
      s.execute("CREATE INDEX payment_customer ON payment (stripe_customer_id)");
      s.execute("CREATE INDEX payment_intent ON payment (stripe_payment_intent_id)");
    }
  }
}
