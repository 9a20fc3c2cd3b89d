package org.newsroom.membership.notifications;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local push service standing in for the browser vendors' (RFC 8030): it records every message
 * POSTed to an endpoint and answers 201, or what a test told it to answer for that endpoint (410
 * for a revoked subscription, a slow answer).
 */
final class PushServiceDouble implements AutoCloseable {

  record Received(String path, Map<String, List<String>> headers, byte[] body, Instant at) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private record Answer(int status, Duration delay) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> arrived = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();

  PushServiceDouble() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/push/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String path = exchange.getRequestURI().getPath();
          arrived.add(path);
          Answer answer = answers.getOrDefault(path, new Answer(201, Duration.ZERO));
          try {
            Thread.sleep(answer.delay().toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          received.add(
              new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
          exchange.sendResponseHeaders(answer.status(), -1);
          exchange.close();
        });
    server.start();
  }

  /** A new browser whose endpoint is on this push service. */
  PushBrowser browser() {
    return PushBrowser.at("http://127.0.0.1:" + server.getAddress().getPort() + "/push");
  }

  void answer(PushBrowser browser, int status, Duration delay) {
    answers.put(pathOf(browser), new Answer(status, delay));
  }

  /** Whether a message to the browser has come in, answered yet or not. */
  boolean arrivedFor(PushBrowser browser) {
    return arrived.contains(pathOf(browser));
  }

  List<Received> to(PushBrowser browser) {
    String path = pathOf(browser);
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private static String pathOf(PushBrowser browser) {
    return java.net.URI.create(browser.endpoint).getPath();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
