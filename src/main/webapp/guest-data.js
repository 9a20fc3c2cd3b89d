/*
 * A guest donor's data and erasure. Without a token: ask for a link. With one: the page asks
 * before acting, as mail scanners open links and opening one must change nothing.
 */
import { api, handle } from "/forms.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const token = params.get("token");
const erase = params.get("purpose") === "erase";

handle($("ask"), async (form) => {
  $("sent").textContent = "";
  const purpose = form.querySelector('input[name="purpose"]:checked').value;
  await api("/api/guest-requests", { method: "POST", body: { email: form.elements.email.value, purpose } });
  $("sent").textContent = "If we hold anything under that address, a link is on its way. It works for one hour.";
});

if (token) {
  history.replaceState(null, "", location.pathname);
  $("ask").hidden = true;
  $("confirm").hidden = false;
  $("confirm-text").textContent = erase
    ? "Erase what we hold about the gifts made with your address? Payment records stay, without your address."
    : "Show what we hold about the gifts made with your address?";
  $("confirm-button").textContent = erase ? "Erase my data" : "Show my data";
  handle($("confirm"), async () => {
    if (erase) {
      await api("/api/guest-requests/erase", { method: "POST", body: { token } });
      $("done").textContent = "Erased. Thank you for your support.";
    } else {
      const data = await api("/api/guest-requests/data", { method: "POST", body: { token } });
      $("data").textContent = JSON.stringify(data, null, 2);
      $("data").hidden = false;
      $("done").textContent = "This is everything we hold under your address.";
    }
    $("confirm-button").disabled = true;
  });
}
