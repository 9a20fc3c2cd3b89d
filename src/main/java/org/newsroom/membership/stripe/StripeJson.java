package org.newsroom.membership.stripe;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;

/**
 * Tolerant reading of Stripe objects as JSON. Stripe's shapes move between API versions (an id or
 * an expanded object; a field moved from the subscription to its item), so handlers ask for a path
 * and get null when it is absent.
 */
final class StripeJson {

  private StripeJson() {}

  static JsonElement at(JsonObject object, String path) {
    JsonElement current = object;
    for (String part : path.split("\\.")) {
      if (current == null || !current.isJsonObject()) {
        return null;
      }
      current = current.getAsJsonObject().get(part);
      if (current != null && current.isJsonNull()) {
        return null;
      }
    }
    return current;
  }

  static String str(JsonObject object, String path) {
    JsonElement e = at(object, path);
    return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
  }

  /** An id field that may also come expanded into the object it names. */
  static String id(JsonObject object, String path) {
    JsonElement e = at(object, path);
    if (e == null) {
      return null;
    }
    if (e.isJsonObject()) {
      return str(e.getAsJsonObject(), "id");
    }
    return e.isJsonPrimitive() ? e.getAsString() : null;
  }

  static JsonObject obj(JsonObject object, String path) {
    JsonElement e = at(object, path);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
  }

  static JsonArray array(JsonObject object, String path) {
    JsonElement e = at(object, path);
    return e != null && e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
  }

  static Long lng(JsonObject object, String path) {
    JsonElement e = at(object, path);
    return e == null || !e.isJsonPrimitive() ? null : e.getAsLong();
  }

  static long lng(JsonObject object, String path, long fallback) {
    Long value = lng(object, path);
    return value == null ? fallback : value;
  }

  static Boolean bool(JsonObject object, String path) {
    JsonElement e = at(object, path);
    return e == null || !e.isJsonPrimitive() ? null : e.getAsBoolean();
  }

  static Instant epoch(JsonObject object, String path) {
    Long seconds = lng(object, path);
    return seconds == null ? null : Instant.ofEpochSecond(seconds);
  }

  static JsonObject first(JsonObject object, String path) {
    JsonArray data = array(object, path);
    return data.isEmpty() || !data.get(0).isJsonObject() ? null : data.get(0).getAsJsonObject();
  }

  /** Deeper than any object Stripe sends (events nest about ten levels; expansions a few more). */
  static final int MAX_DEPTH = 64;

  /**
   * True when the JSON text opens more than {@code limit} objects or arrays inside each other,
   * counted without parsing (brackets inside strings do not count), so that nothing recursive ever
   * sees it.
   */
  static boolean nestedDeeperThan(String json, int limit) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (++depth > limit) {
          return true;
        }
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
    return false;
  }
}
