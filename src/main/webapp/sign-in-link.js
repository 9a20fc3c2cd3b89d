/*
 * The emailed sign-in link. It waits for a click rather than confirming on load, so a mail
 * scanner that opens links cannot spend the one-time token or take the session.
 */
import { api, handle, readerChanged, takeToken, showProblem } from "/forms.js";

const token = takeToken();
const form = document.getElementById("confirm");
if (!token) {
  showProblem(form, new Error("This link is incomplete. Ask for a new sign-in link."));
  form.querySelector("button").hidden = true;
}
handle(form, async () => {
  await api("/api/session/links/confirm", { method: "POST", body: { token } });
  form.hidden = true;
  const done = document.getElementById("done");
  done.hidden = false;
  done.focus();
  await readerChanged();
});
