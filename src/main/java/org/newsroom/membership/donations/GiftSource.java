package org.newsroom.membership.donations;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.newsroom.membership.platform.ProblemException;
import org.newsroom.membership.platform.ProblemException.FieldError;

/**
 * Where a gift came from: the article page (its URL without query or fragment, so every visit of
 * one article groups together), a campaign id, and the page's {@code utm_source}, {@code
 * utm_medium} and {@code utm_campaign}. The one place these are checked, and the one list of the
 * Stripe metadata keys that carry them from the checkout to the webhook.
 */
public record GiftSource(
    String articleUrl, String campaign, String utmSource, String utmMedium, String utmCampaign) {

  public static final int MAX_URL = 500;
  public static final int MAX_TEXT = 100;

  /** Ids and UTM values: letters, digits, space and {@code . _ - : + / @}, at most 100. */
  private static final Pattern TEXT = Pattern.compile("[\\p{L}\\p{N} ._:+/@-]{1,100}");

  /** The request body's {@code source}, as the client sent it. */
  public record Request(
      String articleUrl, String campaign, String utmSource, String utmMedium, String utmCampaign) {}

  /** Stripe metadata keys (at most 40 characters; values at most 500). */
  static final String ARTICLE_KEY = "sourceArticleUrl";

  static final String CAMPAIGN_KEY = "sourceCampaign";
  static final String UTM_SOURCE_KEY = "utmSource";
  static final String UTM_MEDIUM_KEY = "utmMedium";
  static final String UTM_CAMPAIGN_KEY = "utmCampaign";

  /**
   * The checked source, or null when none was given. Every bad field is reported at once, under
   * {@code source.<field>}. The article must be an http(s) page on one of our sites.
   */
  public static GiftSource checked(Request request, Predicate<String> ourSite) {
    if (request == null) {
      return null;
    }
    List<FieldError> errors = new ArrayList<>();
    String article = article(request.articleUrl(), ourSite, errors);
    String campaign = text("source.campaign", request.campaign(), errors);
    String utmSource = text("source.utmSource", request.utmSource(), errors);
    String utmMedium = text("source.utmMedium", request.utmMedium(), errors);
    String utmCampaign = text("source.utmCampaign", request.utmCampaign(), errors);
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    GiftSource source = new GiftSource(article, campaign, utmSource, utmMedium, utmCampaign);
    return source.isEmpty() ? null : source;
  }

  /** What a stored metadata map says, or null; values are trusted as far as their length. */
  public static GiftSource fromMetadata(Function<String, String> metadata) {
    GiftSource source =
        new GiftSource(
            bounded(metadata.apply(ARTICLE_KEY), MAX_URL),
            bounded(metadata.apply(CAMPAIGN_KEY), MAX_TEXT),
            bounded(metadata.apply(UTM_SOURCE_KEY), MAX_TEXT),
            bounded(metadata.apply(UTM_MEDIUM_KEY), MAX_TEXT),
            bounded(metadata.apply(UTM_CAMPAIGN_KEY), MAX_TEXT));
    return source.isEmpty() ? null : source;
  }

  /** The metadata entries that carry this source through Stripe. */
  Map<String, String> metadata() {
    Map<String, String> entries = new LinkedHashMap<>();
    put(entries, ARTICLE_KEY, articleUrl);
    put(entries, CAMPAIGN_KEY, campaign);
    put(entries, UTM_SOURCE_KEY, utmSource);
    put(entries, UTM_MEDIUM_KEY, utmMedium);
    put(entries, UTM_CAMPAIGN_KEY, utmCampaign);
    return entries;
  }

  boolean isEmpty() {
    return articleUrl == null
        && campaign == null
        && utmSource == null
        && utmMedium == null
        && utmCampaign == null;
  }

  private static void put(Map<String, String> entries, String key, String value) {
    if (value != null) {
      entries.put(key, value);
    }
  }

  private static String article(String value, Predicate<String> ourSite, List<FieldError> errors) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String field = "source.articleUrl";
    if (value.length() > 2000) {
      errors.add(new FieldError(field, "must be at most " + MAX_URL + " characters"));
      return null;
    }
    try {
      URI uri = new URI(value.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
        errors.add(new FieldError(field, "must be an http or https address"));
        return null;
      }
      if (!ourSite.test(value.trim())) {
        errors.add(new FieldError(field, "is not on one of our sites"));
        return null;
      }
      if (uri.getRawUserInfo() != null) {
        errors.add(new FieldError(field, "must not carry a user name"));
        return null;
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      String page = scheme + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT) + path;
      if (page.length() > MAX_URL) {
        errors.add(new FieldError(field, "must be at most " + MAX_URL + " characters"));
        return null;
      }
      return page;
    } catch (URISyntaxException e) {
      errors.add(new FieldError(field, "must be an http or https address"));
      return null;
    }
  }

  private static String text(String field, String value, List<FieldError> errors) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.strip();
    if (trimmed.length() > MAX_TEXT) {
      errors.add(new FieldError(field, "must be at most " + MAX_TEXT + " characters"));
      return null;
    }
    if (!TEXT.matcher(trimmed).matches()) {
      errors.add(new FieldError(field, "may hold only letters, digits, spaces and . _ - : + / @"));
      return null;
    }
    return trimmed;
  }

  private static String bounded(String value, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.length() > max ? value.substring(0, max) : value;
  }
}
