/*
 * The article-page snippet: asks the membership service who the reader is and whether they
 * already support the site, and hands the answer to the page as a promise
 * (Membership.entitlements) and a DOM event ("membership:entitlements" on document).
 *
 * The kept answer is never trusted as it stands: the reader may have signed in or out, or given,
 * on another origin (the service's own pages, Stripe Checkout) since. Every page view revalidates
 * it with its ETag (If-None-Match), which costs a 304 with no body while nothing changed; the
 * kept copy is used as it stands only when the service cannot be reached, for at most
 * maxAgeSeconds. When the answer changed, or the signed token is about to expire, the snippet
 * also fetches a fresh token (GET /api/entitlements/token), which the service sets as the
 * "entitlements" cookie on the configured session cookie domain, where the site's edge reads it.
 * It never throws into the page: when the service is unreachable the answer is the anonymous
 * one with "unavailable": true.
 *
 *   <script src="https://members.example.org/entitlements.js?v=1" defer></script>
 *
 * The service's origin is taken from this script's own URL.
 *
 * Attribution: links on the page to the service's support page (/support.html) are given where
 * the gift would come from, as query parameters the support page passes on to checkout: this
 * article's address (without query or fragment), the campaign (the script tag's data-campaign,
 * else the page's ?campaign=) and the page's utm_source, utm_medium and utm_campaign. Values the
 * service would refuse (over 100 characters, or other than letters, digits, spaces and
 * . _ - : + / @) are left out rather than sent. Membership.source() returns the same object.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var apiBase = script ? new URL(script.src, location.href).origin : location.origin;
  var KEY = "membership.entitlements";
  var TOKEN_KEY = "membership.entitlements-token";
  /** Refresh the signed token this long before it expires. */
  var TOKEN_MARGIN_MS = 60 * 1000;
  var DEFAULT_TTL = 300;
  var ANONYMOUS = { signedIn: false, supporter: false, showSupportAsk: true };

  function read() {
    try {
      var stored = JSON.parse(localStorage.getItem(KEY));
      return stored && stored.apiBase === apiBase ? stored : null;
    } catch (e) {
      return null;
    }
  }

  function write(answer, etag) {
    try {
      var ttl = (answer && answer.maxAgeSeconds) || DEFAULT_TTL;
      localStorage.setItem(
        KEY,
        JSON.stringify({ apiBase: apiBase, answer: answer, etag: etag, expires: Date.now() + ttl * 1000 })
      );
    } catch (e) {
      /* storage full or disabled: the page still gets the answer */
    }
  }

  function clear() {
    try {
      localStorage.removeItem(KEY);
    } catch (e) {
      /* nothing to clear */
    }
  }

  function publish(answer) {
    try {
      document.dispatchEvent(new CustomEvent("membership:entitlements", { detail: answer }));
    } catch (e) {
      /* an old browser without CustomEvent: the promise still resolves */
    }
    return answer;
  }

  /** Resolves to {answer, changed}; never rejects. */
  function fetchAnswer(cached) {
    var headers = {};
    if (cached && cached.etag) {
      headers["If-None-Match"] = cached.etag;
    }
    return fetch(apiBase + "/api/entitlements", {
      credentials: "include",
      headers: headers,
      // The browser's own HTTP cache must not answer for the service (the answer is private).
      cache: "no-store"
    })
      .then(function (response) {
        if (response.status === 304 && cached) {
          write(cached.answer, cached.etag);
          return { answer: cached.answer, changed: false };
        }
        if (!response.ok) {
          throw new Error("entitlements " + response.status);
        }
        var etag = response.headers.get("ETag");
        return response.json().then(function (answer) {
          write(answer, etag);
          return { answer: answer, changed: !cached || cached.etag !== etag };
        });
      })
      .catch(function () {
        if (cached && cached.expires > Date.now()) {
          return { answer: cached.answer, changed: false };
        }
        return { answer: Object.assign({ unavailable: true }, ANONYMOUS), changed: false };
      });
  }

  function tokenExpiry() {
    try {
      var stored = JSON.parse(localStorage.getItem(TOKEN_KEY));
      return stored && stored.apiBase === apiBase ? stored.expiresAt : 0;
    } catch (e) {
      return 0;
    }
  }

  /** Asks for a fresh signed token; the service sets it as the "entitlements" cookie. */
  function refreshToken() {
    return fetch(apiBase + "/api/entitlements/token", { credentials: "include", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("token " + response.status);
        }
        return response.json();
      })
      .then(function (signed) {
        try {
          localStorage.setItem(
            TOKEN_KEY,
            JSON.stringify({ apiBase: apiBase, expiresAt: Date.parse(signed.expiresAt) })
          );
        } catch (e) {
          /* storage disabled: the token is refreshed on the next page view */
        }
        return signed.token;
      })
      .catch(function () {
        return null;
      });
  }

  function load() {
    return fetchAnswer(read()).then(function (result) {
      if (!result.answer.unavailable &&
          (result.changed || tokenExpiry() - TOKEN_MARGIN_MS < Date.now())) {
        membership.token = refreshToken();
      }
      return publish(result.answer);
    });
  }

  // Back from Stripe Checkout: what the reader gives has changed, so ask again.
  var params = new URLSearchParams(location.search);
  var backFromCheckout = params.has("checkout") || params.has("session_id");
  if (backFromCheckout) {
    clear();
  }

  var SOURCE_TEXT = /^[\p{L}\p{N} ._:+\/@-]{1,100}$/u;

  function sourceText(value) {
    if (!value) return null;
    value = value.trim();
    return SOURCE_TEXT.test(value) ? value : null;
  }

  /** Where a gift given from this page comes from. */
  function source() {
    var page = location.origin + location.pathname;
    var found = {
      articleUrl: page.length <= 500 && /^https?:/.test(page) ? page : null,
      campaign: sourceText((script && script.getAttribute("data-campaign")) || params.get("campaign")),
      utmSource: sourceText(params.get("utm_source")),
      utmMedium: sourceText(params.get("utm_medium")),
      utmCampaign: sourceText(params.get("utm_campaign")),
    };
    return found;
  }

  var SOURCE_PARAMS = {
    articleUrl: "source_article",
    campaign: "campaign",
    utmSource: "utm_source",
    utmMedium: "utm_medium",
    utmCampaign: "utm_campaign",
  };

  /** Support links carry this page's source to the support page. */
  function decorateSupportLinks() {
    var from = source();
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var url;
      try {
        url = new URL(links[i].getAttribute("href"), location.href);
      } catch (e) {
        continue;
      }
      if (url.origin !== apiBase || url.pathname !== "/support.html") continue;
      for (var field in SOURCE_PARAMS) {
        if (from[field] && !url.searchParams.has(SOURCE_PARAMS[field])) {
          url.searchParams.set(SOURCE_PARAMS[field], from[field]);
        }
      }
      links[i].setAttribute("href", url.toString());
    }
  }

  var membership = (window.Membership = window.Membership || {});
  membership.source = source;
  if (location.pathname !== "/support.html" || location.origin !== apiBase) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", decorateSupportLinks);
    } else {
      decorateSupportLinks();
    }
  }
  membership.apiBase = apiBase;
  membership.entitlements = load();
  /** Forget the kept answer and ask again (the next page view revalidates anyway). */
  membership.refresh = function () {
    clear();
    membership.entitlements = load();
    return membership.entitlements;
  };
  membership.clear = clear;
})();
