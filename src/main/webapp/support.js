/* The support ask: amount, currency and frequency -> POST /api/donations/checkout -> Stripe. */
import { api, handle, entitlements, money, ProblemError } from "/forms.js";

/** Suggested amounts in minor units; the same figures suit GBP, USD and EUR. */
const PRESETS = {
  ONE_OFF: [500, 1000, 2500, 5000],
  MONTHLY: [300, 500, 1000, 2000],
  ANNUAL: [3000, 6000, 12000, 25000],
};
const PER = { ONE_OFF: "", MONTHLY: " a month", ANNUAL: " a year" };

const form = document.getElementById("support");
const custom = document.getElementById("amount");
let signedIn = false;

const chosen = (name) => form.querySelector(`input[name="${name}"]:checked`).value;

function renderPresets() {
  const frequency = chosen("frequency");
  const currency = chosen("currency");
  const previous = form.querySelector('input[name="preset"]:checked');
  const index = previous ? previous.dataset.index : "1";
  const presets = document.getElementById("presets");
  presets.replaceChildren();
  PRESETS[frequency].forEach((amount, i) => presets.append(choice("preset-" + i, String(amount), money(amount, currency) + PER[frequency], i)));
  presets.append(choice("preset-other", "other", "Other amount", "other"));
  const selected = document.getElementById(index === "other" ? "preset-other" : "preset-" + index);
  selected.checked = true;
  document.getElementById("currency-name").textContent = currency;
}

function choice(id, value, text, index) {
  const span = document.createElement("span");
  const input = document.createElement("input");
  input.type = "radio";
  input.name = "preset";
  input.id = id;
  input.value = value;
  input.dataset.index = String(index);
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = text;
  span.append(input, label);
  return span;
}

/** "12.50" in a two-decimal currency -> 1250; null when it is not a plain amount. */
function minorUnits(text) {
  const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] || "0").padEnd(2, "0"));
}

form.addEventListener("change", (event) => {
  if (event.target.name === "frequency" || event.target.name === "currency") renderPresets();
});
custom.addEventListener("input", () => {
  if (custom.value) document.getElementById("preset-other").checked = true;
});

handle(form, async () => {
  const preset = chosen("preset");
  const amount = preset === "other" ? minorUnits(custom.value) : Number(preset);
  if (!amount) {
    throw new ProblemError({
      detail: "Please check the amount.",
      errors: [{ field: "amount", message: "must be an amount such as 12.50" }],
    });
  }
  const body = {
    amount,
    currency: chosen("currency"),
    frequency: chosen("frequency"),
    returnUrl: location.origin + "/thank-you.html?checkout=done",
  };
  if (!signedIn) body.email = form.elements.email.value;
  try {
    const session = await api("/api/donations/checkout", { method: "POST", body });
    location.assign(session.checkoutUrl);
  } catch (error) {
    if (error.slug === "payments-unavailable" || error.status === 503) {
      error.problem.detail =
        "We cannot take payments just now. Nothing has been charged; please try again in a few minutes.";
    }
    throw error;
  }
});

/** A restart link (?frequency=MONTHLY&currency=GBP&amount=1250) fills the form in. */
function prefill() {
  const params = new URLSearchParams(location.search);
  for (const name of ["frequency", "currency"]) {
    const box = form.querySelector(`input[name="${name}"][value="${CSS.escape(params.get(name) || "")}"]`);
    if (box) box.checked = true;
  }
  renderPresets();
  const amount = Number(params.get("amount"));
  if (!Number.isInteger(amount) || amount <= 0) return;
  const preset = form.querySelector(`input[name="preset"][value="${amount}"]`);
  if (preset) {
    preset.checked = true;
  } else {
    custom.value = (amount / 100).toFixed(2);
    document.getElementById("preset-other").checked = true;
  }
}

prefill();
entitlements().then((answer) => {
  signedIn = !!answer.signedIn;
  document.getElementById("guest").hidden = signedIn;
});
