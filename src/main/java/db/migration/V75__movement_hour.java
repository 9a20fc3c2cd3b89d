package db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * An hourly rollup of money movements for the finance dashboard (issue 14): per UTC hour, type and
 * settlement currency, the number of movements and the sums of settlement amount, fee and net. The
 * benchmark's year (990,000 movements) is then about 61,000 rollup rows.
 *
 * <p>Triggers keep it exact, so it can never drift from the ledger: a movement counts in the hour
 * it occurred ({@code occurred_at}), whenever it is recorded, so a refund that arrives a month late
 * changes that month's hour. Inserts and deletes are folded in by statement-level triggers over
 * transition tables (one grouped upsert per statement, which also keeps a bulk load fast); an
 * update subtracts the old row and adds the new one, but only when a column the rollup sums changes
 * ({@code UPDATE OF}): the payout reconciliation's {@code SET stripe_payout_id} leaves it alone.
 *
 * <p>Concurrency: each upsert locks the hour rows it touches until the movement's transaction
 * commits, so two webhooks recording movements in the same hour serialise on that row rather than
 * lose an addition ({@code x = movement_hour.x + EXCLUDED.x} reads the committed row under the
 * lock). Each upsert touches its rows in key order (ORDER BY hour, type, currency), so two
 * statements cannot deadlock on them. A transaction that writes movements in several statements (a
 * payment, then its refund) takes their hours in statement order, not key order; two such
 * transactions meeting in opposite order would deadlock, PostgreSQL would abort one, and the inbox
 * applies that event again. The backfill runs in this migration's transaction with new movements
 * locked out, so no movement is counted twice or missed.
 *
 * <p>H2 (local default) gets nothing: the dashboard sums movements live there.
 */
public class V75__movement_hour extends BaseJavaMigration {

  /** The UTC hour a movement belongs to, independent of the session's time zone. */
  private static final String HOUR =
      "date_trunc('hour', %s.occurred_at AT TIME ZONE 'UTC')" + " AT TIME ZONE 'UTC'";

  private static String upsertFrom(String rows, String sign) {
    return "INSERT INTO movement_hour AS h (hour, type, settlement_currency, movements,"
        + " settlement_amount, fee, net)"
        + " SELECT "
        + String.format(Locale.ROOT, HOUR, "r")
        + ", r.type, r.settlement_currency, "
        + sign
        + "COUNT(*), "
        + sign
        + "SUM(r.settlement_amount), "
        + sign
        + "SUM(r.fee), "
        + sign
        + "SUM(r.net) FROM "
        + rows
        + " r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        + " ON CONFLICT (hour, type, settlement_currency) DO UPDATE SET"
        + " movements = h.movements + EXCLUDED.movements,"
        + " settlement_amount = h.settlement_amount + EXCLUDED.settlement_amount,"
        + " fee = h.fee + EXCLUDED.fee, net = h.net + EXCLUDED.net";
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    if (!c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE money_movement IN SHARE ROW EXCLUSIVE MODE");
      s.execute(
          "CREATE TABLE movement_hour ("
              + " hour TIMESTAMP WITH TIME ZONE NOT NULL,"
              + " type VARCHAR(20) NOT NULL,"
              + " settlement_currency CHAR(3) NOT NULL,"
              + " movements BIGINT NOT NULL,"
              + " settlement_amount BIGINT NOT NULL,"
              + " fee BIGINT NOT NULL,"
              + " net BIGINT NOT NULL,"
              + " PRIMARY KEY (hour, type, settlement_currency))");
      s.execute(
          "CREATE FUNCTION movement_hour_insert() RETURNS trigger LANGUAGE plpgsql AS $$"
              + " BEGIN "
              + upsertFrom("new_rows", "")
              + "; RETURN NULL; END $$");
      s.execute(
          "CREATE FUNCTION movement_hour_delete() RETURNS trigger LANGUAGE plpgsql AS $$"
              + " BEGIN "
              + upsertFrom("old_rows", "-")
              + "; RETURN NULL; END $$");
      // Old and new row in one grouped, ordered upsert: they cancel where they share an hour.
      s.execute(
          "CREATE FUNCTION movement_hour_update() RETURNS trigger LANGUAGE plpgsql AS $$"
              + " BEGIN "
              + "INSERT INTO movement_hour AS h (hour, type, settlement_currency, movements,"
              + " settlement_amount, fee, net)"
              + " SELECT hour, type, currency, SUM(n), SUM(a), SUM(f), SUM(t) FROM (VALUES"
              + " ("
              + String.format(Locale.ROOT, HOUR, "OLD")
              + ", OLD.type, OLD.settlement_currency, -1::bigint, -OLD.settlement_amount,"
              + " -OLD.fee, -OLD.net), ("
              + String.format(Locale.ROOT, HOUR, "NEW")
              + ", NEW.type, NEW.settlement_currency, 1::bigint, NEW.settlement_amount,"
              + " NEW.fee, NEW.net)) v (hour, type, currency, n, a, f, t)"
              + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
              + " ON CONFLICT (hour, type, settlement_currency) DO UPDATE SET"
              + " movements = h.movements + EXCLUDED.movements,"
              + " settlement_amount = h.settlement_amount + EXCLUDED.settlement_amount,"
              + " fee = h.fee + EXCLUDED.fee, net = h.net + EXCLUDED.net;"
              + " RETURN NULL; END $$");
      s.execute(
          "CREATE TRIGGER money_movement_hour_insert AFTER INSERT ON money_movement"
              + " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
              + " EXECUTE FUNCTION movement_hour_insert()");
      s.execute(
          "CREATE TRIGGER money_movement_hour_delete AFTER DELETE ON money_movement"
              + " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT"
              + " EXECUTE FUNCTION movement_hour_delete()");
      s.execute(
          "CREATE TRIGGER money_movement_hour_update AFTER UPDATE OF occurred_at, type,"
              + " settlement_currency, settlement_amount, fee, net ON money_movement"
              + " FOR EACH ROW EXECUTE FUNCTION movement_hour_update()");
      s.execute(upsertFrom("money_movement", ""));
    }
  }
}
