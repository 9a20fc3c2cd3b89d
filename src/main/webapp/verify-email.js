/*
 * The verification link. Opening it changes nothing (mail scanners open links): the reader either
 * confirms the address (signed in to the account here, or with its password) or, if someone else
 * registered it, removes that account.
 */
import { api, handle, showProblem, takeToken } from "/forms.js";

const token = takeToken();
const confirmForm = document.getElementById("confirm");
const declineForm = document.getElementById("decline");
const done = document.getElementById("done");

function finished(title) {
  confirmForm.hidden = true;
  declineForm.hidden = true;
  document.getElementById("done-title").textContent = title;
  done.hidden = false;
  done.focus();
}

function explain(error) {
  if (error.slug === "invalid-token") {
    return new Error("This link has expired or was already used. Ask for a new one from your account page.");
  }
  if (error.slug === "sign-in-required") {
    return new Error("Sign in to the account on this browser, or enter its password, to confirm.");
  }
  if (error.slug === "already-verified") {
    return new Error("The owner of this address already confirmed the account; sign in to manage it.");
  }
  return error;
}

if (!token) {
  showProblem(confirmForm, new Error("This link is incomplete. Ask for a new confirmation email from your account page."));
  confirmForm.querySelector("button").hidden = true;
  declineForm.hidden = true;
}

handle(confirmForm, async () => {
  const password = confirmForm.elements.password.value;
  try {
    await api("/api/email-verifications/confirm", {
      method: "POST",
      body: password ? { token, password } : { token },
    });
  } catch (error) {
    throw explain(error);
  }
  finished("Thank you: your email address is confirmed.");
});

handle(declineForm, async () => {
  try {
    await api("/api/email-verifications/decline", { method: "POST", body: { token } });
  } catch (error) {
    throw explain(error);
  }
  finished("The account registered with your address was removed.");
});
