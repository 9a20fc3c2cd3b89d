/*
 * Stripe Checkout's returnUrl. Payments are confirmed by webhook, not by this page, so it only
 * drops the snippet's kept answer and asks again a few times until the support shows.
 */
import { readerChanged } from "/forms.js";

const state = document.getElementById("state");

async function check(attempt) {
  await readerChanged();
  const answer = await (window.Membership ? window.Membership.entitlements : Promise.resolve({}));
  if (answer.supporter) {
    state.textContent = "Your support is confirmed.";
  } else if (attempt < 5) {
    setTimeout(() => check(attempt + 1), 2000 * (attempt + 1));
  } else {
    state.textContent = "Your payment is still being confirmed. We will email you a receipt.";
  }
}
check(0);
