/* POST /api/password-resets answers alike for known and unknown addresses; so does this page. */
import { api, handle, values } from "/forms.js";

const form = document.getElementById("forgot");
handle(form, async () => {
  const sent = document.getElementById("sent");
  sent.textContent = "";
  await api("/api/password-resets", { method: "POST", body: values(form) });
  sent.textContent = "If that address belongs to an account, a reset link is on its way.";
});
