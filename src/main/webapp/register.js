/* Registration: POST /api/accounts signs the reader in at once. */
import { api, handle, values, readerChanged } from "/forms.js";

const form = document.getElementById("register");
handle(form, async () => {
  const body = values(form);
  body.marketingConsent = form.elements.marketingConsent.checked;
  const member = await api("/api/accounts", { method: "POST", body });
  form.hidden = true;
  document.getElementById("registered-as").textContent = member.displayName || member.email;
  const done = document.getElementById("registered");
  done.hidden = false;
  done.focus();
  await readerChanged();
});
