/* The emailed reset link: ?token plus a new password -> POST /api/password-resets/confirm. */
import { api, handle, takeToken, showProblem } from "/forms.js";

const token = takeToken();
const form = document.getElementById("reset");
if (!token) {
  showProblem(form, new Error("This link is incomplete. Ask for a new reset link."));
}
handle(form, async () => {
  try {
    await api("/api/password-resets/confirm", {
      method: "POST",
      body: { token, newPassword: form.elements.newPassword.value },
    });
  } catch (error) {
    if (error.slug === "invalid-token") {
      error.problem.detail = "This link has expired or was already used. Ask for a new reset link.";
    }
    throw error;
  }
  form.hidden = true;
  const done = document.getElementById("done");
  done.hidden = false;
  done.focus();
  if (window.Membership && window.Membership.clear) window.Membership.clear();
});
