/* Editors: send a news alert and follow its fan-out (figures refresh while anything is pending). */
import { api, handle, openStaffPage } from "/forms.js";

const $ = (id) => document.getElementById(id);
let refreshing = null;

function row(alert) {
  const tr = document.createElement("tr");
  const cells = [
    new Date(alert.createdAt).toLocaleString(),
    alert.topic,
    alert.title,
    alert.recipients,
    alert.sent,
    alert.pending,
    alert.failed,
    alert.expiredRemoved,
  ];
  for (const value of cells) {
    const td = tr.insertCell();
    td.textContent = String(value);
    if (typeof value === "number") td.className = "number";
  }
  return tr;
}

async function refresh() {
  const alerts = await api("/api/notifications");
  $("alerts").tBodies[0].replaceChildren(...alerts.map(row));
  clearTimeout(refreshing);
  if (alerts.some((a) => a.pending > 0)) refreshing = setTimeout(refresh, 1000);
}

handle($("send"), async (form) => {
  $("send-status").textContent = "";
  const v = (name) => form.elements[name].value;
  const alert = await api("/api/notifications", {
    method: "POST",
    body: {
      id: crypto.randomUUID(),
      topic: v("topic"),
      title: v("title"),
      body: v("body"),
      url: v("url"),
      urgency: v("urgency"),
      ttl: Number(v("ttl")),
    },
  });
  $("send-status").textContent = `Queued for ${alert.recipients} subscriber(s).`;
  await refresh();
});

async function start() {
  const roles = await openStaffPage(["EDITOR", "ADMIN"], { closed: "not-editor", content: "editor" });
  if (!roles) return;
  const options = await api("/api/notifications/subscriptions/options");
  $("topic").replaceChildren(
    ...options.topics.map((t) => Object.assign(document.createElement("option"), { value: t, textContent: t }))
  );
  await refresh();
}
start();
