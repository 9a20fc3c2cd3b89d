/* The reader's own account: profile, password, data export, deletion and sign-out. */
import { api, request, handle, values, readerChanged, saveBlob } from "/forms.js";

const $ = (id) => document.getElementById(id);

function show(member) {
  $("loading").hidden = true;
  $("signed-out").hidden = !!member;
  $("signed-in").hidden = !member;
  if (!member) return;
  $("who").textContent = member.displayName || member.email;
  $("member-email").textContent = member.email;
  $("member-verified").textContent = member.emailVerified ? "(confirmed)" : "(not confirmed yet)";
  $("resend").hidden = member.emailVerified;
  $("displayName").value = member.displayName || "";
  $("marketingConsent").checked = !!member.marketingConsent;
}

/** The member's browsers that get alerts; informative only, so a failure leaves the card empty. */
async function showAlerts() {
  let subscriptions = [];
  try {
    subscriptions = await api("/api/notifications/subscriptions");
  } catch (error) {
    return;
  }
  $("alerts-none").hidden = subscriptions.length > 0;
  $("alerts-list").replaceChildren(
    ...subscriptions.map((s) => {
      const item = document.createElement("li");
      const host = new URL(s.endpoint).host;
      item.textContent = `${s.topics.join(", ")} (via ${host}, since ${new Date(s.createdAt).toLocaleDateString()})`;
      return item;
    })
  );
}

async function load() {
  try {
    show(await api("/api/me"));
    showAlerts();
  } catch (error) {
    show(null);
    if (error.status !== 401) $("signed-out-message").textContent = error.message;
  }
}

handle($("profile"), async (form) => {
  $("profile-status").textContent = "";
  const member = await api("/api/me", {
    method: "PATCH",
    body: { displayName: form.elements.displayName.value, marketingConsent: form.elements.marketingConsent.checked },
  });
  show(member);
  $("profile-status").textContent = "Saved.";
  await readerChanged();
});

handle($("password"), async (form) => {
  $("password-status").textContent = "";
  const body = values(form);
  delete body.username;
  await api("/api/me/password", { method: "POST", body });
  form.reset();
  $("password-status").textContent = "Password changed. Your other devices have been signed out.";
});

handle($("resend"), async () => {
  await api("/api/email-verifications", { method: "POST" });
  $("resend-status").textContent = "A new confirmation email is on its way.";
});

handle($("data"), async () => {
  $("data-status").textContent = "Preparing your data…";
  const response = await request("/api/me/data");
  const text = await response.text();
  const parts = Object.keys(JSON.parse(text));
  saveBlob(new Blob([text], { type: "application/json" }), "my-data.json", $("data-link"));
  $("data-status").textContent =
    "Downloaded my-data.json (" + text.length + " bytes) with: " + parts.join(", ") + ".";
});

handle($("delete"), async (form) => {
  if (!confirm("Delete your account for good?")) return;
  await api("/api/me", { method: "DELETE", body: { password: form.elements.password.value } });
  await readerChanged();
  show(null);
  $("signed-out-message").textContent = "Your account has been deleted.";
});

handle($("sign-out"), async () => {
  await api("/api/session", { method: "DELETE" });
  await readerChanged();
  show(null);
  $("signed-out-message").textContent = "You have signed out.";
  $("signed-out").focus();
});

load();
