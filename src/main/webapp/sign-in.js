/* Password sign-in (POST /api/session) and the emailed one-time link (POST /api/session/links). */
import { api, handle, values, readerChanged, nextPath } from "/forms.js";

const form = document.getElementById("sign-in");
handle(form, async () => {
  await api("/api/session", { method: "POST", body: values(form) });
  await readerChanged();
  location.assign(nextPath("/account.html"));
});

const link = document.getElementById("link");
handle(link, async () => {
  const sent = document.getElementById("link-sent");
  sent.textContent = "";
  await api("/api/session/links", { method: "POST", body: values(link) });
  sent.textContent = "If that address belongs to an account, a sign-in link is on its way. It works for 15 minutes.";
});
