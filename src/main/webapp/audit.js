/* Administrators: the audit log, a page at a time, following the server's cursor. */
import { api, handle, ProblemError, openStaffPage } from "/forms.js";

const $ = (id) => document.getElementById(id);
let query = null;
let next = null;

function isoDate(date) {
  return date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0") + "-" + String(date.getDate()).padStart(2, "0");
}

function defaults() {
  const today = new Date();
  $("from").value = isoDate(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6));
  $("to").value = isoDate(today);
  $("tz").value = Intl.DateTimeFormat().resolvedOptions().timeZone || "Europe/London";
}

function row(entry) {
  const tr = document.createElement("tr");
  const cells = [
    new Date(entry.at).toLocaleString(),
    entry.actor,
    entry.action,
    entry.target || "",
    String(entry.count || 1),
    entry.details ? JSON.stringify(entry.details) : "",
  ];
  for (const text of cells) tr.insertCell().textContent = text;
  tr.cells[4].className = "number";
  return tr;
}

async function load(append) {
  const params = new URLSearchParams(query);
  if (append && next) params.set("cursor", next);
  const page = await api("/api/audit?" + params);
  const rows = (page.entries || []).map(row);
  const body = $("entries").tBodies[0];
  if (append) body.append(...rows);
  else body.replaceChildren(...rows);
  next = page.next || null;
  $("entries").hidden = body.rows.length === 0;
  $("more").hidden = !next;
  $("audit-status").textContent = body.rows.length
    ? body.rows.length + " entries shown" + (next ? "; more on the next page." : ".")
    : "No entries in this range.";
}

handle($("audit"), async (form) => {
  if (!form.elements.from.value || !form.elements.to.value) {
    throw new ProblemError({
      detail: "Choose a range.",
      errors: [!form.elements.from.value ? { field: "from", message: "is required" } : { field: "to", message: "is required" }],
    });
  }
  query = { from: form.elements.from.value, to: form.elements.to.value };
  if (form.elements.tz.value) query.tz = form.elements.tz.value;
  await load(false);
});

$("more").addEventListener("click", async () => {
  $("more").disabled = true;
  try {
    await load(true);
  } catch (error) {
    $("audit-status").textContent = error.message;
  } finally {
    $("more").disabled = false;
  }
});

openStaffPage(["ADMIN"], { closed: "not-admin", content: "admin" }).then((roles) => {
  if (roles) defaults();
});
