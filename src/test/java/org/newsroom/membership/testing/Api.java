package org.newsroom.membership.testing;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client of the running service as a browser or script would be: one instance is one reader, with
 * its own session cookie and its own client address (sent in the trusted proxy header, so rate
 * limits of one test never touch another's).
 */
public final class Api {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final String baseUrl;
  private final String address;
  private String sessionCookie;
  private String deviceCookie;
  private String origin;
  private final Map<String, String> extraHeaders = new LinkedHashMap<>();

  Api(TestServer server) {
    this(server.baseUrl);
  }

  /** A reader of the service at {@code baseUrl}, for tests that start servers of their own. */
  public Api(String baseUrl) {
    this.baseUrl = baseUrl;
    this.origin = baseUrl;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    this.address = "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255);
  }

  public static String uniqueEmail(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@readers.example";
  }

  public String address() {
    return address;
  }

  public String sessionToken() {
    return sessionCookie;
  }

  public Api withSessionToken(String token) {
    this.sessionCookie = token;
    return this;
  }

  /** The Origin sent with state-changing requests; null sends none. */
  public Api withOrigin(String origin) {
    this.origin = origin;
    return this;
  }

  public Api withHeader(String name, String value) {
    extraHeaders.put(name, value);
    return this;
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response post(String path, String json) {
    return send("POST", path, json, "application/json");
  }

  public Response post(String path) {
    return send("POST", path, null, null);
  }

  public Response patch(String path, String json) {
    return send("PATCH", path, json, "application/json");
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Response delete(String path, String json) {
    return send("DELETE", path, json, "application/json");
  }

  public Response send(String method, String path, String body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .header("X-Forwarded-For", address)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    String cookies =
        java.util.stream.Stream.of(
                sessionCookie == null ? null : "session=" + sessionCookie,
                deviceCookie == null ? null : "device=" + deviceCookie)
            .filter(java.util.Objects::nonNull)
            .collect(java.util.stream.Collectors.joining("; "));
    if (!cookies.isEmpty()) {
      request.header("Cookie", cookies);
    }
    if (origin != null && !method.equals("GET")) {
      request.header("Origin", origin);
    }
    extraHeaders.forEach(request::header);
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      rememberSession(response.headers());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void rememberSession(HttpHeaders headers) {
    for (String cookie : headers.allValues("Set-Cookie")) {
      if (cookie.startsWith("session=")) {
        String value = cookie.substring("session=".length(), cookie.indexOf(';'));
        sessionCookie = value.isEmpty() ? null : value;
      } else if (cookie.startsWith("device=")) {
        deviceCookie = cookie.substring("device=".length(), cookie.indexOf(';'));
      }
    }
  }

  /** The device cookie a sign-in left, as a browser keeps it (null before any sign-in). */
  public String deviceCookie() {
    return deviceCookie;
  }

  /** A client of a browser that kept this device cookie (and no session). */
  public Api withDeviceCookie(String value) {
    this.deviceCookie = value;
    return this;
  }

  /** Registers a new reader with a strong password and keeps its session. */
  public JsonObject register(String email, String password) {
    Response response =
        post(
            "/api/accounts",
            "{\"email\":\""
                + email
                + "\",\"password\":\""
                + password
                + "\",\"displayName\":\"Ada\"}");
    if (response.status() != 201) {
      throw new IllegalStateException("Registration failed: " + response);
    }
    return response.json();
  }

  public Response signIn(String email, String password) {
    return post("/api/session", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
  }

  public record Response(int status, HttpHeaders headers, String body) {

    public JsonObject json() {
      return Json.createReader(new StringReader(body)).readObject();
    }

    public JsonArray jsonArray() {
      return Json.createReader(new StringReader(body)).readArray();
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public List<String> headers(String name) {
      return headers.allValues(name);
    }

    public String contentType() {
      return header("Content-Type");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
