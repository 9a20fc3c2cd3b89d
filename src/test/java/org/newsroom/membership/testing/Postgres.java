package org.newsroom.membership.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The real PostgreSQL the tests run against ({@code 127.0.0.1:5432}, database {@code test}, trust
 * authentication, unless {@code TEST_PG_*} say otherwise). Each run works in a schema of its own,
 * so runs never disturb each other.
 */
public final class Postgres {

  public static final String HOST = env("TEST_PG_HOST", "127.0.0.1");
  public static final int PORT = Integer.parseInt(env("TEST_PG_PORT", "5432"));
  public static final String DATABASE = env("TEST_PG_DATABASE", "test");
  public static final String USER = env("TEST_PG_USER", "postgres");
  public static final String PASSWORD = env("TEST_PG_PASSWORD", "postgres");

  private Postgres() {}

  /** Creates a fresh, uniquely named schema and returns its name. */
  public static String createSchema(String prefix) {
    String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute("CREATE SCHEMA " + schema);
    return schema;
  }

  public static void dropSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  public static String url(String host, int port, String schema) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + DATABASE + "?currentSchema=" + schema;
  }

  public static String url(String schema) {
    return url(HOST, PORT, schema);
  }

  public static Connection connect(String schema) throws SQLException {
    return DriverManager.getConnection(url(schema), USER, PASSWORD);
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(url(HOST, PORT, "public"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " failed: " + sql, e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
