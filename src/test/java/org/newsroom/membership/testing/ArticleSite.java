package org.newsroom.membership.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The publisher's article site on its own origin ({@link TestServer#articlePort}), serving one page
 * that embeds the service's snippet, so the browser tests cross origins as article pages do.
 */
public final class ArticleSite implements AutoCloseable {

  private final HttpServer http;

  private ArticleSite(HttpServer http) {
    this.http = http;
  }

  /** Serves {@code html} at {@code path} on the test server's article origin. */
  public static ArticleSite serve(TestServer server, String path, String html) {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress("127.0.0.1", server.articlePort), 0);
      http.createContext(
          path,
          exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      http.start();
      return new ArticleSite(http);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
