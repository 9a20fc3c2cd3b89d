/* The demo article page: shows who is signed in and the support ask or a thank-you. */
(function () {
  "use strict";
  var membership = window.Membership;
  var api = membership ? membership.apiBase : location.origin;

  function show(id, visible) {
    document.getElementById(id).hidden = !visible;
  }

  function render(answer) {
    var greeting = document.getElementById("greeting");
    greeting.textContent = answer.signedIn ? "Hello, " + (answer.displayName || "reader") : "Not signed in";
    show("sign-out", answer.signedIn);
    show("sign-in", !answer.signedIn);
    show("support-ask", !!answer.showSupportAsk);
    show("thank-you", !!answer.supporter);
    show("payment-failed", answer.actionRequired === "PAYMENT_FAILED");
  }

  function refresh() {
    return membership.refresh().then(render);
  }

  // The first answer may have been published before this script ran: read the promise, then
  // follow the events for later answers.
  if (membership) {
    membership.entitlements.then(render);
  } else {
    render({ signedIn: false, supporter: false, showSupportAsk: true });
  }
  document.addEventListener("membership:entitlements", function (event) {
    render(event.detail);
  });

  document.getElementById("sign-in").addEventListener("submit", function (event) {
    event.preventDefault();
    var error = document.getElementById("sign-in-error");
    error.textContent = "";
    fetch(api + "/api/session", {
      method: "POST",
      credentials: "include",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        email: document.getElementById("email").value,
        password: document.getElementById("password").value
      })
    })
      .then(function (response) {
        if (!response.ok) {
          return response.json().then(function (problem) {
            error.textContent = problem.detail || "Sign-in failed.";
          });
        }
        return refresh();
      })
      .catch(function () {
        error.textContent = "The service cannot be reached. Try again later.";
      });
  });

  document.getElementById("sign-out").addEventListener("click", function () {
    fetch(api + "/api/session", { method: "DELETE", credentials: "include" })
      .then(refresh, refresh);
  });
})();
