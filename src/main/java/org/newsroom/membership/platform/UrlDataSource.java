package org.newsroom.membership.platform;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Lets one {@code @DataSourceDefinition} serve whichever database {@code db.url} names (the
 * embedded H2 file or PostgreSQL) with no class name to keep in step with the URL: the driver is
 * found from the URL. Payara pools the connections it hands out.
 */
public class UrlDataSource implements DataSource {

  private String url;
  private String user;
  private String password;
  private int loginTimeout;
  private volatile Driver driver;

  public void setUrl(String url) {
    this.url = url;
  }

  public void setURL(String url) {
    this.url = url;
  }

  public String getUrl() {
    return url;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return getConnection(user, password);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    Properties credentials = new Properties();
    if (username != null) {
      credentials.setProperty("user", username);
    }
    if (password != null) {
      credentials.setProperty("password", password);
    }
    Connection connection = driver().connect(url, credentials);
    if (connection == null) {
      throw new SQLException("The driver refused " + url);
    }
    return SqlStatementCounter.counting(connection);
  }

  /**
   * The driver for the URL, found through this application's class loader. DriverManager would only
   * see drivers the server registered, not the PostgreSQL driver inside the WAR.
   */
  private Driver driver() throws SQLException {
    Driver found = driver;
    if (found == null) {
      for (Driver candidate : ServiceLoader.load(Driver.class, getClass().getClassLoader())) {
        if (candidate.acceptsURL(url)) {
          found = candidate;
          break;
        }
      }
      if (found == null) {
        throw new SQLException("No JDBC driver in the application accepts " + url);
      }
      driver = found;
    }
    return found;
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeout = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("Not a wrapper of " + type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
