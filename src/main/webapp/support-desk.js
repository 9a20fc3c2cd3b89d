/*
 * Supporter care: find a reader, see their case, act for them. Every call carries the reason typed
 * at the top; the service audits it with each look-up and action.
 */
import { api, handle, money, openStaffPage } from "/forms.js";

const $ = (id) => document.getElementById(id);
let current = null;

const reason = () => $("reason").value.trim();
const day = (iso) => (iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" }) : "");

function el(tag, { text, ...attributes } = {}, ...children) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function button(text, action) {
  const b = el("button", { type: "button", text });
  b.addEventListener("click", () => act(b, action));
  return b;
}

/** "4.00" with two decimals -> 400; null when it is not a plain amount in that currency. */
function minorUnits(text, decimals) {
  const match = new RegExp("^\\s*(\\d{1,9})(?:[.,](\\d{1," + Math.max(decimals, 1) + "}))?\\s*$").exec(text);
  if (!match || (decimals === 0 && match[2])) return null;
  return Number(match[1]) * 10 ** decimals + Number((match[2] || "").padEnd(decimals, "0") || 0);
}

function requestId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function act(source, action) {
  $("status").textContent = "";
  $("case-problem").textContent = "";
  source.disabled = true;
  try {
    $("status").textContent = await action();
    await open(current);
  } catch (error) {
    $("case-problem").textContent = (error.problem && error.problem.detail) || error.message;
  } finally {
    source.disabled = false;
  }
}

const base = () => "/api/support/readers/" + current;

handle($("find"), async (form) => {
  const query = new URLSearchParams({ q: form.elements.q.value, reason: reason() });
  const found = await api("/api/support/readers?" + query);
  const body = $("matches").tBodies[0];
  body.replaceChildren();
  for (const r of found.readers) {
    const openIt = el("button", { type: "button", text: "Open" });
    openIt.addEventListener("click", () => open(r.id).catch((e) => ($("case-problem").textContent = e.message)));
    body.append(el("tr", {}, el("td", { text: r.email }), el("td", { text: r.displayName || "" }), el("td", { text: r.emailVerified ? "yes" : "no" }), el("td", {}, openIt)));
  }
  $("matches").hidden = found.readers.length === 0;
  $("no-matches").textContent = found.readers.length ? "" : "No reader matches.";
});

async function open(id) {
  current = id;
  const c = await api(base() + "?" + new URLSearchParams({ reason: reason() }));
  const m = c.account.member;
  $("case").hidden = false;
  $("case-title").textContent = m.email;
  $("case-facts").textContent = (m.displayName ? m.displayName + ", " : "") + (m.emailVerified ? "address verified" : "address not verified") + ", member since " + day(m.createdAt) + (m.supporter ? ", supporter" : "");
  $("resend").hidden = m.emailVerified;

  const recurring = $("recurring").tBodies[0];
  recurring.replaceChildren();
  for (const r of c.recurring) {
    const k = r.contribution;
    const per = k.frequency === "ANNUAL" ? " a year" : " a month";
    const state = k.cancelAtPeriodEnd ? "ends on " + day(k.currentPeriodEnd) : k.status;
    const acts = el("td");
    const path = base() + "/contributions/" + k.id;
    if (k.status !== "CANCELED" && !k.cancelAtPeriodEnd) {
      acts.append(button("Cancel", async () => {
        await api(path + "/cancel", { method: "POST", body: { reason: reason() } });
        return "Cancelled at the end of the period; the reader was mailed.";
      }));
    }
    if (k.status === "PAUSED") {
      acts.append(button("Resume", async () => {
        await api(path + "/resume", { method: "POST", body: { reason: reason() } });
        return "Resumed; the reader was mailed.";
      }));
    } else if (k.status === "ACTIVE" && !k.cancelAtPeriodEnd) {
      const until = el("input", { type: "date", "aria-label": "Pause until" });
      acts.append(until, button("Pause", async () => {
        await api(path + "/pause", { method: "POST", body: { reason: reason(), resumeOn: until.value || null } });
        return "Paused until " + until.value + "; the reader was mailed.";
      }));
    }
    recurring.append(el("tr", {}, el("td", { text: money(k.amount, k.currency) + per }), el("td", { text: state }), el("td", { text: r.stripeSubscriptionId }), acts));
  }

  const payments = $("payments").tBodies[0];
  payments.replaceChildren();
  for (const p of c.payments) {
    const left = p.amount - p.refundedAmount;
    const cell = el("td");
    if (left > 0 && p.status !== "DISPUTED") {
      const label = "Refund amount for the payment of " + day(p.paidAt) + " (empty: all that is left)";
      const amount = el("input", { type: "text", inputmode: "decimal", size: "8", "aria-label": label, "data-payment": p.id });
      const id = requestId();
      cell.append(amount, button("Refund", async () => {
        const minor = amount.value.trim() ? minorUnits(amount.value, p.currencyDecimals) : null;
        if (amount.value.trim() && minor === null) throw new Error("Check the refund amount.");
        const body = { reason: reason(), requestId: id };
        if (minor !== null) body.amount = minor;
        const r = await api(base() + "/payments/" + p.id + "/refund", { method: "POST", body });
        return "Refund " + r.refundId + " of " + money(r.amount, r.currency, p.currencyDecimals) + " requested; the payment shows it once Stripe confirms.";
      }));
    }
    const status = p.refundedAmount ? p.status + " (" + money(p.refundedAmount, p.currency, p.currencyDecimals) + " refunded)" : p.status;
    payments.append(el("tr", {}, el("td", { text: day(p.paidAt) }), el("td", { text: money(p.amount, p.currency, p.currencyDecimals) }), el("td", { text: status }), el("td", { text: p.stripeChargeId }), cell));
  }

  $("movements").replaceChildren(...[...c.refunds, ...c.disputes].map((x) => el("li", { text: day(x.occurredAt) + ": " + x.type + " " + money(x.amount, x.currency, x.currencyDecimals) + " (" + x.stripeObjectId + ")" })));
  $("mails").replaceChildren(...c.account.mails.map((x) => el("li", { text: day(x.queuedAt) + ": " + x.subject + (x.sentAt ? "" : " (not sent yet)") })));
  $("sessions").replaceChildren(...c.account.sessions.map((s) => el("li", { text: "since " + day(s.createdAt) + ", last seen " + day(s.lastSeenAt) + ": " + (s.userAgent || "unknown browser") })));
}

$("resend").addEventListener("click", () => act($("resend"), async () => {
  await api(base() + "/verification-mail", { method: "POST", body: { reason: reason() } });
  return "A fresh verification link is on its way.";
}));
$("sign-out").addEventListener("click", () => act($("sign-out"), async () => {
  const out = await api(base() + "/sign-out-everywhere", { method: "POST", body: { reason: reason() } });
  return out.sessionsRevoked + " session(s) signed out.";
}));

openStaffPage(["SUPPORT", "ADMIN"], { closed: "not-staff", content: "staff" });
