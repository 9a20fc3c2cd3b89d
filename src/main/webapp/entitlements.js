/*
 * The article-page snippet: asks the membership service who the reader is and whether they
 * already support the site, keeps the answer for a few minutes, and hands it to the page as a
 * promise (Membership.entitlements) and a DOM event ("membership:entitlements" on document).
 * It never throws into the page: when the service is unreachable the answer is the anonymous
 * one with "unavailable": true.
 *
 *   <script src="https://members.example.org/entitlements.js?v=1" defer></script>
 *
 * The service's origin is taken from this script's own URL.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var apiBase = script ? new URL(script.src, location.href).origin : location.origin;
  var KEY = "membership.entitlements";
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

  function fetchAnswer(cached) {
    var headers = {};
    if (cached && cached.etag) {
      headers["If-None-Match"] = cached.etag;
    }
    return fetch(apiBase + "/api/entitlements", { credentials: "include", headers: headers })
      .then(function (response) {
        if (response.status === 304 && cached) {
          write(cached.answer, cached.etag);
          return cached.answer;
        }
        if (!response.ok) {
          throw new Error("entitlements " + response.status);
        }
        var etag = response.headers.get("ETag");
        return response.json().then(function (answer) {
          write(answer, etag);
          return answer;
        });
      })
      .catch(function () {
        return Object.assign({ unavailable: true }, ANONYMOUS);
      });
  }

  function load(force) {
    var cached = read();
    if (!force && cached && cached.expires > Date.now()) {
      return Promise.resolve(cached.answer).then(publish);
    }
    return fetchAnswer(cached).then(publish);
  }

  // Back from Stripe Checkout: what the reader gives has changed, so ask again.
  var params = new URLSearchParams(location.search);
  var backFromCheckout = params.has("checkout") || params.has("session_id");
  if (backFromCheckout) {
    clear();
  }

  var membership = (window.Membership = window.Membership || {});
  membership.apiBase = apiBase;
  membership.entitlements = load(false);
  /** Forget the kept answer and ask again; call it after sign-in and sign-out. */
  membership.refresh = function () {
    clear();
    membership.entitlements = load(true);
    return membership.entitlements;
  };
  membership.clear = clear;
})();
