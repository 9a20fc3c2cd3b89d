package org.newsroom.membership.stripe;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What is left of a stored Stripe event once the person it names is erased: every id, amount,
 * currency, status and time stays (finance and the ledger are rebuilt from them), every field that
 * describes the person goes: names, emails, phones, postal addresses, card details, free text such
 * as a cancellation comment, and any other string that is the person's email.
 */
public final class PayloadRedaction {

  /** Stripe field names that hold personal data wherever they appear in an object. */
  static final Set<String> PERSONAL =
      Set.of(
          "email",
          "name",
          "phone",
          "address",
          "shipping",
          "shipping_details",
          "billing_details",
          "customer_email",
          "customer_name",
          "customer_phone",
          "customer_address",
          "customer_shipping",
          "customer_details",
          "receipt_email",
          "description",
          "comment",
          "last4",
          "dynamic_last4",
          "fingerprint",
          "exp_month",
          "exp_year",
          "ip_address",
          "account_holder_name",
          "cardholder_name");

  private PayloadRedaction() {}

  /** The payload with personal fields set to null; {@code email} (may be null) also by value. */
  public static String redact(String payload, String email) {
    JsonElement root = JsonParser.parseString(payload);
    String lowerEmail = email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    return walk(root, lowerEmail).toString();
  }

  /** The Stripe Customer an event's object belongs to (or is), if it names one. */
  public static String customerOf(String payload) {
    try {
      return customerOfEvent(JsonParser.parseString(payload).getAsJsonObject());
    } catch (RuntimeException notAStripeEventShape) {
      return null;
    }
  }

  /** The customer of an event already parsed (the webhook parses each body once). */
  public static String customerOfEvent(JsonObject event) {
    try {
      return customerOfObject(event.getAsJsonObject("data").getAsJsonObject("object"));
    } catch (RuntimeException notAStripeEventShape) {
      return null;
    }
  }

  /** The Stripe Customer a Stripe object belongs to (or is), if it names one. */
  public static String customerOfObject(JsonObject object) {
    JsonElement type = object.get("object");
    if (type != null && type.isJsonPrimitive() && "customer".equals(type.getAsString())) {
      return object.get("id").getAsString();
    }
    JsonElement customer = object.get("customer");
    if (customer == null || customer.isJsonNull()) {
      return null;
    }
    return customer.isJsonObject()
        ? customer.getAsJsonObject().get("id").getAsString()
        : customer.getAsString();
  }

  private static JsonElement walk(JsonElement element, String email) {
    if (element.isJsonObject()) {
      JsonObject object = element.getAsJsonObject();
      for (Map.Entry<String, JsonElement> field : object.entrySet()) {
        if (PERSONAL.contains(field.getKey()) && !field.getValue().isJsonNull()) {
          field.setValue(JsonNull.INSTANCE);
        } else {
          field.setValue(walk(field.getValue(), email));
        }
      }
      return object;
    }
    if (element.isJsonArray()) {
      JsonArray array = element.getAsJsonArray();
      for (int i = 0; i < array.size(); i++) {
        array.set(i, walk(array.get(i), email));
      }
      return array;
    }
    if (email != null
        && element instanceof JsonPrimitive primitive
        && primitive.isString()
        && primitive.getAsString().toLowerCase(Locale.ROOT).contains(email)) {
      return JsonNull.INSTANCE;
    }
    return element;
  }
}
