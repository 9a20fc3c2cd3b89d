/* The verification link: confirming an address only marks it verified, so it runs on load. */
import { api, takeToken } from "/forms.js";

const status = document.getElementById("status");
const problem = document.getElementById("problem");
const token = takeToken();

async function confirm() {
  if (!token) {
    status.textContent = "";
    problem.textContent = "This link is incomplete. Ask for a new confirmation email from your account page.";
    return;
  }
  try {
    await api("/api/email-verifications/confirm", { method: "POST", body: { token } });
    status.textContent = "Thank you: your email address is confirmed.";
  } catch (error) {
    status.textContent = "";
    problem.textContent =
      error.slug === "invalid-token"
        ? "This link has expired or was already used. Ask for a new one from your account page."
        : error.message;
  }
}
confirm();
