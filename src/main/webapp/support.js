/* The support ask: amount, currency and frequency -> POST /api/donations/checkout -> Stripe. */
import { api, handle, entitlements, money, ProblemError } from "/forms.js";

/**
 * Suggested amounts in minor units of a two-decimal currency (GBP, USD, EUR); other exponents are
 * scaled by `presetAmount` (a zero-decimal currency takes the figures as they are: ¥500 ... ¥5000).
 */
const PRESETS = {
  ONE_OFF: [500, 1000, 2500, 5000],
  MONTHLY: [300, 500, 1000, 2000],
  ANNUAL: [3000, 6000, 12000, 25000],
};
const PER = { ONE_OFF: "", MONTHLY: " a month", ANNUAL: " a year" };

const form = document.getElementById("support");
const custom = document.getElementById("amount");
let signedIn = false;

/** Stripe's exponent per accepted currency, as the server serves it (/api/donations/currencies). */
const decimals = { GBP: 2, USD: 2, EUR: 2 };

const exponent = (currency) => (Number.isInteger(decimals[currency]) ? decimals[currency] : 2);

/** A preset in the chosen currency's minor units. */
const presetAmount = (preset, currency) => (exponent(currency) >= 2 ? preset * 10 ** (exponent(currency) - 2) : preset);

const chosen = (name) => form.querySelector(`input[name="${name}"]:checked`).value;

function renderPresets() {
  const frequency = chosen("frequency");
  const currency = chosen("currency");
  const previous = form.querySelector('input[name="preset"]:checked');
  const index = previous ? previous.dataset.index : "1";
  const presets = document.getElementById("presets");
  presets.replaceChildren();
  PRESETS[frequency].forEach((preset, i) => {
    const amount = presetAmount(preset, currency);
    presets.append(choice("preset-" + i, String(amount), money(amount, currency, exponent(currency)) + PER[frequency], i));
  });
  presets.append(choice("preset-other", "other", "Other amount", "other"));
  const selected = document.getElementById(index === "other" ? "preset-other" : "preset-" + index);
  selected.checked = true;
  document.getElementById("currency-name").textContent = currency;
  document.getElementById("amount-hint").textContent = "For example " + example(currency);
}

/** "12.50" in GBP, "1250" in JPY, "12.500" in KWD: how an amount is typed in the currency. */
const example = (currency) => (exponent(currency) === 0 ? "1250" : "12." + "50".padEnd(exponent(currency), "0").slice(0, exponent(currency)));

/** Offers the currencies the server accepts, in its order, with their exponents. */
function renderCurrencies(accepted) {
  for (const c of accepted) decimals[c.code] = c.currencyDecimals;
  const offered = [...form.querySelectorAll('input[name="currency"]')].map((input) => input.value);
  if (offered.join() === accepted.map((c) => c.code).join()) return false;
  const previous = chosen("currency");
  const choices = form.querySelector("#currency-choices");
  choices.replaceChildren();
  for (const c of accepted) {
    const id = "currency-" + c.code.toLowerCase();
    const span = document.createElement("span");
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "currency";
    input.id = id;
    input.value = c.code;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = symbol(c.code) + " " + c.code;
    span.append(input, label);
    choices.append(span);
  }
  const keep = form.querySelector(`input[name="currency"][value="${previous}"]`) || form.querySelector('input[name="currency"]');
  keep.checked = true;
  return true;
}

function symbol(currency) {
  const part = new Intl.NumberFormat(undefined, { style: "currency", currency }).formatToParts(0).find((p) => p.type === "currency");
  return part && part.value !== currency ? part.value : "";
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

/**
 * "12.50" -> 1250 in a two-decimal currency, "1250" -> 1250 in JPY, "1.25" -> 1250 in KWD; null
 * when it is not a plain amount with at most the currency's decimals. Digits, not floating point.
 */
function minorUnits(text, digits) {
  const fraction = digits > 0 ? `(?:[.,](\\d{1,${digits}}))?` : "";
  const match = new RegExp(`^\\s*(\\d{1,9})${fraction}\\s*$`).exec(text);
  if (!match) return null;
  return Number(match[1]) * 10 ** digits + (digits > 0 ? Number((match[2] || "0").padEnd(digits, "0")) : 0);
}

/**
 * Where the gift comes from: what the article page's snippet put on the link to this page
 * (source_article, campaign, utm_*), or this page's own UTM parameters.
 */
function giftSource() {
  const params = new URLSearchParams(location.search);
  const fields = {
    articleUrl: "source_article",
    campaign: "campaign",
    utmSource: "utm_source",
    utmMedium: "utm_medium",
    utmCampaign: "utm_campaign",
  };
  const source = {};
  for (const [field, param] of Object.entries(fields)) {
    const value = params.get(param);
    if (value && value.trim()) source[field] = value.trim();
  }
  return Object.keys(source).length ? source : null;
}

/** The gift as chosen so far, in minor units; null while it is not a plain amount. */
function chosenAmount() {
  const preset = chosen("preset");
  return preset === "other" ? minorUnits(custom.value, exponent(chosen("currency"))) : Number(preset);
}

let estimateAsked = 0;
/** Shows what covering the card fee adds, as the service estimates it (the one rule). */
async function showFeeEstimate() {
  const amount = chosenAmount();
  const currency = chosen("currency");
  const asked = ++estimateAsked;
  if (!amount) {
    $cover("cover-fee").textContent = "the card fee";
    $cover("cover-total").textContent = "";
    return;
  }
  try {
    const estimate = await api(`/api/donations/fee-estimate?amount=${amount}&currency=${encodeURIComponent(currency)}`);
    if (asked !== estimateAsked) return;
    $cover("cover-fee").textContent = money(estimate.fee, currency, estimate.currencyDecimals);
    $cover("cover-total").textContent = money(estimate.total, currency, estimate.currencyDecimals) + PER[chosen("frequency")];
  } catch (e) {
    if (asked !== estimateAsked) return;
    $cover("cover-fee").textContent = "the card fee";
    $cover("cover-total").textContent = "";
  }
}

function $cover(id) {
  return document.getElementById(id);
}

form.addEventListener("change", (event) => {
  if (event.target.name === "frequency" || event.target.name === "currency") renderPresets();
  if (event.target.name !== "coverFees") showFeeEstimate();
});
custom.addEventListener("input", () => {
  if (custom.value) document.getElementById("preset-other").checked = true;
  showFeeEstimate();
});

handle(form, async () => {
  const currency = chosen("currency");
  const amount = chosenAmount();
  if (!amount) {
    throw new ProblemError({
      detail: "Please check the amount.",
      errors: [{ field: "amount", message: "must be an amount such as " + example(currency) }],
    });
  }
  const body = {
    amount,
    currency,
    frequency: chosen("frequency"),
    returnUrl: location.origin + "/thank-you.html?checkout=done",
  };
  if (!signedIn) body.email = form.elements.email.value;
  if (form.elements.coverFees.checked) body.coverFees = true;
  const source = giftSource();
  if (source) body.source = source;
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

/**
 * A restart link (?frequency=MONTHLY&currency=GBP&amount=1250, minor units) fills the form in, once
 * the accepted currencies are known.
 */
function prefill() {
  const params = new URLSearchParams(location.search);
  for (const name of ["frequency", "currency"]) {
    const box = form.querySelector(`input[name="${name}"][value="${CSS.escape(params.get(name) || "")}"]`);
    if (box) box.checked = true;
  }
  renderPresets();
  const amount = Number(params.get("amount"));
  if (!params.get("amount") || !Number.isInteger(amount) || amount <= 0) return;
  const preset = form.querySelector(`input[name="preset"][value="${amount}"]`);
  if (preset) {
    preset.checked = true;
  } else {
    const digits = exponent(chosen("currency"));
    custom.value = digits > 0 ? (amount / 10 ** digits).toFixed(digits) : String(amount);
    document.getElementById("preset-other").checked = true;
  }
}

renderPresets();
showFeeEstimate();
api("/api/donations/currencies")
  .then((answer) => {
    if (answer && Array.isArray(answer.currencies) && answer.currencies.length) {
      renderCurrencies(answer.currencies);
      renderPresets();
      showFeeEstimate();
    }
  })
  .catch(() => {
    // The page's own GBP, USD and EUR stay on offer.
  })
  .then(prefill);
entitlements().then((answer) => {
  signedIn = !!answer.signedIn;
  document.getElementById("guest").hidden = signedIn;
});
