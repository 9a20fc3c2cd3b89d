/* The reader's contributions: change, pause, resume, cancel, update the card, payment history, statements. */
import { api, handle, money, ProblemError, readerChanged } from "/forms.js";

const $ = (id) => document.getElementById(id);
const FREQUENCY = { ONE_OFF: "once", MONTHLY: "monthly", ANNUAL: "annually" };
const STATUS = {
  INCOMPLETE: "Waiting for the first payment",
  ACTIVE: "Active",
  PAST_DUE: "Payment failed",
  PAUSED: "Paused",
  CANCELED: "Cancelled",
};

function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    if (name === "text") element.textContent = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children);
  return element;
}

const day = (iso) => (iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: "long" }) : "");

function isoDate(date) {
  return date.toISOString().slice(0, 10);
}

function unavailable(error) {
  if (error.slug === "payments-unavailable" || error.status === 503) {
    error.problem.detail = "Payments are unavailable just now. Nothing has changed; please try again in a few minutes.";
  }
  return error;
}

/** One contribution with its own small forms; each form reports its own problems. */
function contribution(c) {
  const id = c.id;
  const card = el("article", { class: "card", "aria-labelledby": "c-" + id });
  const summary = money(c.amount, c.currency, c.currencyDecimals) + " " + FREQUENCY[c.frequency];
  card.append(el("h3", { id: "c-" + id, text: summary }));
  let state = STATUS[c.status] || c.status;
  if (c.cancelAtPeriodEnd) state = "Ends on " + day(c.currentPeriodEnd);
  else if (c.status === "PAUSED" && c.resumesOn) state += " until " + day(c.resumesOn);
  else if (c.currentPeriodEnd && c.status !== "CANCELED") state += ", next payment " + day(c.currentPeriodEnd);
  card.append(el("p", { class: "contribution-state", text: state }));
  if (c.coveredFee) {
    card.append(el("p", { class: "covered-fee", text: "Including " + money(c.coveredFee, c.currency, c.currencyDecimals) + " you added to cover the card fee." }));
  }
  if (c.changeFrom) {
    // A change of frequency waits for the period end; nothing was charged for it.
    card.append(
      el("p", {
        class: "pending-change",
        text: "Changes on " + day(c.changeFrom) + ". Until then: " + money(c.amountUntilThen, c.currency, c.currencyDecimals) + " " + FREQUENCY[c.frequencyUntilThen] + ".",
      })
    );
  }
  if (c.status === "CANCELED" || c.cancelAtPeriodEnd) return card;

  // Change amount or frequency: takes effect from the next billing period.
  const change = el("form", { class: "change", novalidate: true });
  change.append(
    el("label", { for: "amount-" + id, text: "New amount, in " + c.currency }),
    el("input", { id: "amount-" + id, name: "amount", type: "text", inputmode: "decimal", value: (c.amount / 10 ** c.currencyDecimals).toFixed(c.currencyDecimals) }),
    el("label", { for: "frequency-" + id, text: "How often" }),
    frequencySelect("frequency-" + id, c.frequency),
    el("p", { class: "error", role: "alert", "data-form-alert": true }),
    el("button", { type: "submit", text: "Save change" }),
    el("p", { class: "hint", text: "Changes apply from your next payment." })
  );
  handle(change, async () => {
    const amount = Math.round(Number(change.elements.amount.value.replace(",", ".")) * 10 ** c.currencyDecimals);
    if (!Number.isFinite(amount) || amount <= 0) {
      throw new ProblemError({ detail: "Please check the amount.", errors: [{ field: "amount", message: "must be an amount such as 12.50" }] });
    }
    await act(() => api(`/api/me/contributions/${encodeURIComponent(id)}`, { method: "PATCH", body: { amount, frequency: change.elements.frequency.value } }));
  });
  card.append(change);

  if (c.status === "PAUSED") {
    const resume = el("form", {}, el("p", { class: "error", role: "alert", "data-form-alert": true }), el("button", { type: "submit", text: "Resume now" }));
    handle(resume, () => act(() => api(`/api/me/contributions/${encodeURIComponent(id)}/resume`, { method: "POST" })));
    card.append(resume);
  } else {
    const today = new Date();
    const latest = new Date(today);
    latest.setMonth(latest.getMonth() + 6);
    const pause = el("form", { novalidate: true });
    pause.append(
      el("label", { for: "resume-" + id, text: "Pause until (at most six months)" }),
      el("input", { id: "resume-" + id, name: "resumeOn", type: "date", min: isoDate(today), max: isoDate(latest), required: true }),
      el("p", { class: "error", role: "alert", "data-form-alert": true }),
      el("button", { type: "submit", class: "secondary", text: "Pause" })
    );
    handle(pause, async () => {
      const resumeOn = pause.elements.resumeOn.value;
      if (!resumeOn) {
        throw new ProblemError({ detail: "Choose a date.", errors: [{ field: "resumeOn", message: "is required" }] });
      }
      await act(() => api(`/api/me/contributions/${encodeURIComponent(id)}/pause`, { method: "POST", body: { resumeOn } }));
    });
    card.append(pause);
  }

  const cancel = el("form", { novalidate: true });
  const reasons = el("select", { id: "reason-" + id, name: "reason" });
  for (const text of ["", "I can no longer afford it", "I support you in another way", "I read you less", "Something else"]) {
    reasons.append(el("option", { value: text, text: text || "Prefer not to say" }));
  }
  cancel.append(
    el("label", { for: "reason-" + id, text: "Why are you cancelling? (optional)" }),
    reasons,
    el("p", { class: "error", role: "alert", "data-form-alert": true }),
    el("button", { type: "submit", class: "danger", text: "Cancel this contribution" })
  );
  handle(cancel, async () => {
    const reason = cancel.elements.reason.value;
    await act(() => api(`/api/me/contributions/${encodeURIComponent(id)}/cancel`, { method: "POST", body: reason ? { reason } : {} }));
  });
  card.append(cancel);
  return card;
}

function frequencySelect(id, current) {
  const select = el("select", { id, name: "frequency" });
  for (const value of ["MONTHLY", "ANNUAL"]) {
    select.append(el("option", { value, selected: value === current, text: value === "MONTHLY" ? "Monthly" : "Annually" }));
  }
  return select;
}

/** Runs a change, then shows the new state of everything (and tells the snippet). */
async function act(call) {
  try {
    await call();
  } catch (error) {
    throw unavailable(error);
  }
  await load();
  await readerChanged();
  $("recurring-heading").focus();
}

function render(data) {
  $("loading").hidden = true;
  $("recurring-section").hidden = false;
  $("payments-section").hidden = false;
  const recurring = data.recurring || [];
  $("no-recurring").hidden = recurring.length > 0;
  $("recurring").replaceChildren(...recurring.map(contribution));
  $("past-due").hidden = !recurring.some((c) => c.status === "PAST_DUE");
  for (const button of document.querySelectorAll(".update-card")) {
    button.hidden = recurring.length === 0 && button.closest("#past-due") === null;
  }

  const payments = data.payments || [];
  statements(payments);
  $("no-payments").hidden = payments.length > 0;
  $("payments").hidden = payments.length === 0;
  $("payments").tBodies[0].replaceChildren(
    ...payments.map((p) =>
      el(
        "tr",
        {},
        el("td", { text: day(p.paidAt) }),
        el("td", { class: "number", text: money(p.amount, p.currency, p.currencyDecimals) + (p.coveredFee ? " (including " + money(p.coveredFee, p.currency, p.currencyDecimals) + " for the card fee)" : "") }),
        el("td", { text: p.frequency === "ONE_OFF" ? "One-off" : "Regular (" + FREQUENCY[p.frequency] + ")" }),
        el("td", { text: p.refundedAmount ? p.status + " (" + money(p.refundedAmount, p.currency, p.currencyDecimals) + " refunded)" : p.status })
      )
    )
  );
}

/** One statement per calendar year with a payment (this year at least), newest first. */
function statements(payments) {
  const years = new Set([new Date().getFullYear(), ...payments.map((p) => new Date(p.paidAt).getFullYear())]);
  const select = $("statement-year");
  select.replaceChildren(...[...years].sort((a, b) => b - a).map((y) => el("option", { text: String(y) })));
  links();
  $("statements").hidden = false;
}

function links() {
  const base = "/api/me/statements/" + $("statement-year").value;
  $("statement-pdf").href = base + "?format=pdf";
  $("statement-html").href = base + "?format=html";
}

$("statement-year").addEventListener("change", links);
handle($("statement"), async (form) => {
  $("statement-sent").textContent = "";
  await api("/api/me/statements/" + form.elements.year.value + "/mail", { method: "POST" });
  $("statement-sent").textContent = "Your statement for " + form.elements.year.value + " is on its way.";
});

async function load() {
  $("problem").textContent = "";
  try {
    render(await api("/api/me/contributions"));
  } catch (error) {
    $("loading").hidden = true;
    if (error.status === 401) $("signed-out").hidden = false;
    else $("problem").textContent = unavailable(error).problem.detail;
  }
}

async function updateCard(event) {
  const button = event.currentTarget;
  button.disabled = true;
  $("problem").textContent = "";
  try {
    const portal = await api("/api/me/billing-portal", { method: "POST", body: { returnUrl: location.href } });
    location.assign(portal.url);
  } catch (error) {
    $("problem").textContent =
      error.status === 404 ? "We have no card on file for you yet." : unavailable(error).problem.detail;
    button.disabled = false;
  }
}

$("recurring-heading").tabIndex = -1;
for (const button of document.querySelectorAll(".update-card")) button.addEventListener("click", updateCard);
load();
