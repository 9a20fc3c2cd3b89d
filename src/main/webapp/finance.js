/*
 * Finance staff: the dashboard (figures, uPlot charts each with its numbers as a table, links to
 * the export rows behind each figure), report downloads with progress, a monthly chart, the
 * Stripe inbox, staff roles.
 */
import { api, request, handle, saveBlob, money as formatMoney, ProblemError, openStaffPage } from "/forms.js";

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

// ---------------------------------------------------------------- the dashboard

const FIGURES = [
  // [field, label, money?, link: which export holds the rows]
  ["gross", "Gross", true, "transactions"],
  ["fees", "Stripe fees", true, "transactions"],
  ["net", "Net", true, "transactions"],
  ["refunds", "Refunds and disputes", true, "transactions"],
  ["disputes", "of which disputes", true, "transactions"],
  ["payments", "Payments", false, "transactions"],
  ["givers", "Givers", false, "transactions"],
  ["newRecurring", "New recurring", false, "summary"],
  ["cancelledRecurring", "Cancelled recurring", false, "summary"],
  ["mrr", "Monthly recurring revenue", true, "recurring"],
  ["mrrChange", "MRR change in the range", true, "recurring"],
  ["activeRecurring", "Active recurring", false, "recurring"],
  ["pastDue", "Payments failed, awaiting a fix", false, "recurring"],
  ["recovered", "Recovered payments", false, "transactions"],
  ["recoveredAmount", "Recovered amount", true, "transactions"],
  // Unlike every figure above, by the currency the gifts were charged in (the export's
  // presentmentCurrency and coveredFee): a fee added to a JPY charge stays in yen.
  ["feesCovered", "Fees donors covered (gifts charged in this currency)", true, "transactions"],
];

function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") element.textContent = value;
    else element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

/** A table of a chart's numbers: the accessible form of the chart, and the one tests read. */
function seriesTable(caption, currency, decimals, series, columns) {
  const table = el("table", { "data-series": caption });
  table.append(el("caption", { text: caption + " (" + currency + ")" }));
  const head = table.createTHead().insertRow();
  head.append(el("th", { scope: "col", text: "Period" }));
  for (const [, label] of columns) head.append(el("th", { scope: "col", class: "number", text: label }));
  const body = table.createTBody();
  for (const point of series) {
    const row = body.insertRow();
    row.append(el("th", { scope: "row", text: point.period }));
    for (const [field] of columns) {
      row.append(el("td", { class: "number", "data-field": field, "data-minor": String(point[field]), text: formatMoney(point[field], currency, decimals) }));
    }
  }
  return table;
}

/** A uPlot line chart of some series fields; hidden from screen readers, the table follows. */
function lineChart(container, title, currency, decimals, series, columns) {
  if (!window.uPlot || series.length === 0) return;
  const xs = series.map((p) => Date.parse(p.from + "T00:00:00Z") / 1000);
  const colours = ["#0b5394", "#1e6b30", "#8a1c1c"];
  const options = {
    title,
    width: Math.max(320, Math.min(900, container.clientWidth || 640)),
    height: 240,
    scales: { x: { time: true } },
    series: [{}, ...columns.map(([, label], i) => ({ label, stroke: colours[i % colours.length], width: 2, value: (u, v) => (v == null ? "" : formatMoney(Math.round(v), currency, decimals)) }))],
    axes: [{}, { size: 90, values: (u, ticks) => ticks.map((v) => formatMoney(Math.round(v), currency, decimals)) }],
  };
  const data = [xs, ...columns.map(([field]) => series.map((p) => p[field]))];
  new window.uPlot(options, data, container);
}

function currencySection(view, c) {
  const query = (link) => view.links[link];
  const section = el("section", { class: "currency", "data-currency": c.currency, "aria-labelledby": "dash-" + c.currency });
  section.append(el("h3", { id: "dash-" + c.currency, text: c.currency }));
  const list = el("ul", { class: "figures" });
  for (const [field, label, isMoney, link] of FIGURES) {
    const value = c[field];
    const shown = isMoney ? formatMoney(value, c.currency, c.currencyDecimals) : String(value);
    list.append(
      el(
        "li",
        {},
        el("span", { class: "label", text: label }),
        el("a", { class: "value", href: query(link), "data-field": field, "data-minor": String(value), title: "The " + link + " export behind this figure", text: shown })
      )
    );
  }
  section.append(list);

  const money_ = [["gross", "Gross"], ["net", "Net"]];
  const mrr = [["mrr", "MRR"]];
  for (const [title, columns] of [["Money in", money_], ["Monthly recurring revenue", mrr]]) {
    const figure = el("figure", { class: "dashboard-chart" });
    const picture = el("div", { "aria-hidden": "true" });
    figure.append(el("figcaption", { text: title + " by " + view.groupBy + ", " + c.currency }), picture);
    const details = el("details", {}, el("summary", { text: "Numbers of “" + title + "” in " + c.currency }), seriesTable(title, c.currency, c.currencyDecimals, c.series, columns));
    figure.append(details);
    section.append(figure);
    lineChart(picture, title, c.currency, c.currencyDecimals, c.series, columns);
  }

  for (const [key, title] of [["topCampaigns", "Campaigns"], ["topArticles", "Articles"]]) {
    const origins = c[key] || [];
    if (!origins.length) continue;
    const table = el("table", { "data-origins": key });
    table.append(el("caption", { text: title + " that brought gifts (" + c.currency + ")" }));
    const head = table.createTHead().insertRow();
    for (const text of [title.slice(0, -1), "Payments", "Gross", "Net", "New supporters"]) head.append(el("th", { scope: "col", text }));
    const body = table.createTBody();
    for (const o of origins) {
      const row = body.insertRow();
      row.append(el("th", { scope: "row", text: o.key }));
      row.append(el("td", { class: "number", text: String(o.payments) }));
      row.append(el("td", { class: "number", text: formatMoney(o.gross, c.currency, c.currencyDecimals) }));
      row.append(el("td", { class: "number", text: formatMoney(o.net, c.currency, c.currencyDecimals) }));
      row.append(el("td", { class: "number", text: String(o.newSupporters) }));
    }
    section.append(table);
  }
  return section;
}

async function showDashboard(form) {
  const params = new URLSearchParams();
  for (const name of ["from", "to", "tz", "groupBy"]) {
    if (form.elements[name].value) params.set(name, form.elements[name].value);
  }
  $("dashboard-status").textContent = "Loading…";
  const view = await api("/api/reports/dashboard?" + params);
  form.elements.from.value = view.from;
  form.elements.to.value = view.to;
  form.elements.tz.value = view.tz;
  $("dashboard").dataset.query = params.toString();
  const inbox = view.inbox;
  $("dashboard-inbox").textContent =
    "Stripe inbox: " + inbox.pending + " pending, " + inbox.failed + " failed" + (inbox.oldestPendingAt ? ", oldest pending since " + new Date(inbox.oldestPendingAt).toLocaleString() : "") + ".";
  $("dashboard-inbox").dataset.pending = String(inbox.pending);
  $("dashboard-inbox").dataset.failed = String(inbox.failed);
  $("dashboard-currencies").replaceChildren(...view.currencies.map((c) => currencySection(view, c)));
  $("dashboard-status").textContent =
    view.from + " to " + view.to + " (" + view.tz + "), " + view.givers + " givers" + (view.currencies.length ? ": " + view.currencies.map((c) => c.currency).join(", ") + "." : "; nothing in this range.");
}

handle($("dashboard-range"), (form) => showDashboard(form));

async function start() {
  const roles = await openStaffPage(["FINANCE", "ADMIN"], { closed: "not-staff", content: "staff" });
  if (roles) {
    $("admin").hidden = !roles.includes("ADMIN");
    defaults();
    $("dash-tz").value = $("tz").value;
    await showDashboard($("dashboard-range")).catch((error) => {
      $("dashboard-status").textContent = error.message;
    });
  }
}
start();
