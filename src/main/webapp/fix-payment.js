/*
 * The failed renewal's mail, and the reminder that the card expires first, land here. The page asks first (mail scanners open links), then sends
 * the reader to Stripe's billing portal for the contribution the mail's token stands for.
 */
import { api, handle, money, showProblem, takeToken } from "/forms.js";

const $ = (id) => document.getElementById(id);
const PER = { MONTHLY: " a month", ANNUAL: " a year" };

if (new URLSearchParams(location.search).get("updated")) {
  $("updated").hidden = false;
}
const token = takeToken();
if (!token) {
  $("no-link").hidden = !$("updated").hidden;
} else {
  $("fix").hidden = false;
  api("/api/recovery", { method: "POST", body: { token } })
    .then((c) => {
      const gift = money(c.amount, c.currency, c.currencyDecimals) + (PER[c.frequency] || "");
      // An active contribution came from the reminder that its card expires before it renews.
      $("what").textContent =
        c.status === "ACTIVE"
          ? "Your contribution of " + gift + " continues. Give us your new card before the old one expires, so your next payment goes through."
          : "We could not collect your contribution of " + gift + ". Update your card and we will try again.";
    })
    .catch((error) => {
      showProblem($("fix"), error);
      $("fix").querySelector("button").disabled = true;
    });
  handle($("fix"), async () => {
    const portal = await api("/api/recovery/card", { method: "POST", body: { token } });
    location.assign(portal.url);
  });
}
