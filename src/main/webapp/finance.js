/* Finance staff: report downloads with progress, a monthly chart, the Stripe inbox, staff roles. */
import { api, request, handle, saveBlob, money as formatMoney, ProblemError } from "/forms.js";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

function isoDate(date) {
  return date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0") + "-" + String(date.getDate()).padStart(2, "0");
}

function defaults() {
  const today = new Date();
  $("from").value = isoDate(new Date(today.getFullYear(), today.getMonth() - 11, 1));
  $("to").value = isoDate(today);
  $("tz").value = Intl.DateTimeFormat().resolvedOptions().timeZone || "Europe/London";
  const zones = Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : ["Europe/London", "UTC"];
  $("zones").replaceChildren(...zones.map((zone) => Object.assign(document.createElement("option"), { value: zone })));
}

function reportPath(report, form, format) {
  const v = (name) => form.elements[name].value;
  const params = new URLSearchParams();
  if (report === "recurring") {
    params.set("asOf", v("to"));
  } else {
    params.set("from", v("from"));
    params.set("to", v("to"));
    if (report !== "payouts" && v("tz")) params.set("tz", v("tz"));
  }
  if (report === "summary") params.set("groupBy", format === "json" ? "month" : "day");
  params.set("format", format);
  return `/api/reports/${report}?${params}`;
}

function fileName(response, fallback) {
  const disposition = response.headers.get("Content-Disposition") || "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return match ? decodeURIComponent(match[1]) : fallback;
}

/** Streams a report, counting bytes as they arrive, then offers it as a file. */
async function download(report, form) {
  const format = form.elements.format.value;
  const status = $("download-status");
  const progress = $("progress");
  status.textContent = "";
  $("progress-box").hidden = false;
  progress.removeAttribute("value");
  $("progress-label").textContent = "Preparing the " + report + " report…";
  try {
    const response = await request(reportPath(report, form, format), { headers: { Accept: "*/*" } });
    const total = Number(response.headers.get("Content-Length")) || 0;
    if (total) progress.max = total;
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      if (total) progress.value = received;
      $("progress-label").textContent = "Downloading the " + report + " report: " + kilobytes(received) + (total ? " of " + kilobytes(total) : "");
    }
    const name = fileName(response, `${report}-${form.elements.from.value}-${form.elements.to.value}.${format}`);
    saveBlob(new Blob(chunks, { type: response.headers.get("Content-Type") || "application/octet-stream" }), name);
    status.textContent = "Saved " + name + " (" + kilobytes(received) + ").";
  } finally {
    $("progress-box").hidden = true;
  }
}

const kilobytes = (bytes) => (bytes < 1024 ? bytes + " bytes" : (bytes / 1024).toFixed(bytes < 10240 ? 1 : 0) + " KB");

/** Each currency's exponent, as the summary serves it with every row (`currencyDecimals`). */
const exponents = {};

/** Sums the summary's rows over frequencies: {currency: {period: {gross, net}}}. */
function byCurrency(rows) {
  const result = {};
  for (const row of rows) {
    if (Number.isInteger(row.currencyDecimals)) exponents[row.currency] = row.currencyDecimals;
    const periods = (result[row.currency] = result[row.currency] || {});
    const cell = (periods[row.period] = periods[row.period] || { gross: 0, net: 0 });
    cell.gross += row.gross;
    cell.net += row.net;
  }
  return result;
}

function svg(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text != null) element.textContent = text;
  return element;
}

/** One bar chart per currency, plain SVG; the same figures follow as a table for screen readers. */
function chart(currency, periods) {
  const money = (amount, code) => formatMoney(amount, code, exponents[code]);
  const months = Object.keys(periods).sort();
  const width = 720;
  const height = 260;
  const left = 80;
  const bottom = 30;
  const top = 10;
  const max = Math.max(1, ...months.map((m) => Math.max(periods[m].gross, periods[m].net)));
  const min = Math.min(0, ...months.map((m) => periods[m].net));
  const scale = (height - bottom - top) / (max - min);
  const zeroY = top + max * scale;
  const slot = (width - left) / Math.max(1, months.length);
  const bar = Math.max(2, Math.min(24, slot / 2 - 4));
  const figure = document.createElement("figure");
  const picture = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `Gross and net per month in ${currency}` });
  picture.append(svg("line", { class: "axis", x1: left, x2: width, y1: zeroY, y2: zeroY }));
  picture.append(svg("text", { x: left - 6, y: top + 10, "text-anchor": "end" }, money(max, currency)));
  picture.append(svg("text", { x: left - 6, y: zeroY + 4, "text-anchor": "end" }, money(0, currency)));
  months.forEach((month, i) => {
    const x = left + i * slot + slot / 2;
    for (const [kind, offset] of [["gross", -bar - 1], ["net", 1]]) {
      const value = periods[month][kind];
      const y = value >= 0 ? zeroY - value * scale : zeroY;
      const rect = svg("rect", { class: kind, x: x + offset, y, width: bar, height: Math.max(0, Math.abs(value) * scale) });
      rect.append(svg("title", {}, `${month} ${kind} ${money(value, currency)}`));
      picture.append(rect);
    }
    picture.append(svg("text", { x, y: height - 10, "text-anchor": "middle" }, month.slice(0, 7)));
  });
  const caption = document.createElement("figcaption");
  caption.textContent = currency;
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const text of ["Month", "Gross", "Net"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const month of months) {
    const row = body.insertRow();
    row.insertCell().textContent = month;
    row.insertCell().textContent = money(periods[month].gross, currency);
    row.insertCell().textContent = money(periods[month].net, currency);
  }
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "Figures for " + currency;
  details.append(summary, table);
  figure.append(caption, picture, details);
  return figure;
}

async function showChart(form) {
  $("chart-status").textContent = "Loading…";
  const data = await api(reportPath("summary", form, "json"));
  const currencies = byCurrency(data.rows || []);
  const names = Object.keys(currencies).sort();
  $("charts").replaceChildren(...names.map((currency) => chart(currency, currencies[currency])));
  $("chart-status").textContent = names.length ? "Showing " + names.join(", ") + "." : "No payments in this range.";
}

handle($("reports"), async (form, event) => {
  const report = event.submitter ? event.submitter.value : "transactions";
  if (!form.elements.from.value || !form.elements.to.value) {
    throw new ProblemError({
      detail: "Choose a range.",
      errors: [!form.elements.from.value ? { field: "from", message: "is required" } : { field: "to", message: "is required" }],
    });
  }
  if (report === "chart") await showChart(form);
  else await download(report, form);
});

function eventsTable(events) {
  $("events").hidden = events.length === 0;
  $("inbox-status-text").textContent = events.length ? events.length + " events." : "No events with this status.";
  $("events").tBodies[0].replaceChildren(
    ...events.map((e) => {
      const row = document.createElement("tr");
      for (const text of [new Date(e.receivedAt).toLocaleString(), e.id, e.type, e.status, String(e.attempts), e.lastError || ""]) {
        row.insertCell().textContent = text;
      }
      row.cells[4].className = "number";
      const replay = document.createElement("button");
      replay.type = "button";
      replay.className = "secondary";
      replay.textContent = "Replay";
      replay.setAttribute("aria-label", "Replay " + e.id);
      replay.addEventListener("click", async () => {
        replay.disabled = true;
        try {
          const result = await api(`/api/admin/stripe-events/${encodeURIComponent(e.id)}/replay`, { method: "POST" });
          row.cells[3].textContent = (result && result.status) || "replayed";
          $("inbox-status-text").textContent = e.id + " replayed: " + row.cells[3].textContent + ".";
        } catch (error) {
          $("inbox-status-text").textContent = e.id + ": " + error.message;
          replay.disabled = false;
        }
      });
      row.insertCell().append(replay);
      return row;
    })
  );
}

handle($("inbox"), async (form) => {
  const data = await api("/api/admin/stripe-events?status=" + encodeURIComponent(form.elements.status.value));
  eventsTable(data.events || []);
});

handle($("staff-roles"), async (form) => {
  $("staff-status").textContent = "";
  const roles = [...form.querySelectorAll('input[name="role"]:checked')].map((box) => box.value);
  const member = await api("/api/admin/staff", { method: "POST", body: { email: form.elements.email.value, roles } });
  $("staff-status").textContent = member.email + " now has the roles: " + member.roles.join(", ") + ".";
});

async function start() {
  let member = null;
  try {
    member = await api("/api/me");
  } catch (error) {
    if (error.status !== 401) $("not-staff-message").textContent = error.message;
  }
  $("loading").hidden = true;
  const roles = (member && member.roles) || [];
  const staff = roles.includes("FINANCE") || roles.includes("ADMIN");
  $("not-staff").hidden = staff;
  $("staff").hidden = !staff;
  $("admin").hidden = !roles.includes("ADMIN");
  if (staff) defaults();
}
start();
