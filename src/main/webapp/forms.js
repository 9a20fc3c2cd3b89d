/*
 * Shared by the service's own pages (loaded as an ES module, same origin as the API).
 *
 *   api(path, {method, body})  fetch with the session cookie and JSON; resolves to the parsed
 *                              body (or null for 204/202 without one); rejects with a
 *                              ProblemError carrying the RFC 9457 problem.
 *   showProblem(form, error)   puts each errors[] message next to its field (aria-describedby,
 *                              aria-invalid) and the detail in the form's role="alert" element.
 *   handle(form, action)       submit handler: clears old errors, disables the form's buttons
 *                              while the action runs, shows a problem if it fails.
 *   openStaffPage(roles, ...)  shows a staff page's controls or its "sign in" card.
 */

/** A problem response (or a network failure, as status 0) turned into an Error. */
export class ProblemError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || "Something went wrong.");
    this.problem = problem;
    this.status = problem.status || 0;
    this.slug = (problem.type || "").split("/").pop();
  }
}

const UNREACHABLE = {
  status: 0,
  title: "Service unreachable",
  detail: "The service cannot be reached. Check your connection and try again.",
};

/** The raw Response for callers that stream or save the body themselves; throws problems. */
export async function request(path, { method = "GET", body, headers = {} } = {}) {
  const init = { method, credentials: "include", headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ProblemError(UNREACHABLE);
  }
  if (!response.ok) {
    throw new ProblemError(await problemOf(response));
  }
  return response;
}

export async function api(path, options) {
  const response = await request(path, options);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

async function problemOf(response) {
  const fallback = { status: response.status, title: response.statusText, detail: describe(response.status) };
  try {
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("json")) {
      const problem = await response.json();
      return { ...fallback, ...problem, detail: problem.detail || fallback.detail };
    }
  } catch (e) {
    /* not JSON after all: the generic message below */
  }
  if (response.status === 429) {
    const after = response.headers.get("Retry-After");
    fallback.detail = "Too many attempts. Try again" + (after ? " in " + after + " seconds." : " later.");
  }
  return fallback;
}

function describe(status) {
  if (status === 401) return "Please sign in first.";
  if (status === 403) return "You are not allowed to do that.";
  if (status === 404) return "Not found.";
  if (status === 429) return "Too many attempts. Try again later.";
  if (status >= 500) return "The service is having trouble. Try again in a minute.";
  return "Something went wrong.";
}

/** The form's alert element (created when the markup has none). */
function alertOf(form) {
  let alert = form.querySelector("[data-form-alert]");
  if (!alert) {
    alert = document.createElement("p");
    alert.className = "error";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-form-alert", "");
    form.appendChild(alert);
  }
  return alert;
}

export function clearProblem(form) {
  alertOf(form).textContent = "";
  for (const message of form.querySelectorAll(".field-error")) {
    const field = document.getElementById(message.dataset.for);
    if (field) {
      field.removeAttribute("aria-invalid");
      const ids = (field.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== message.id);
      if (ids.length) field.setAttribute("aria-describedby", ids.join(" "));
      else field.removeAttribute("aria-describedby");
    }
    message.remove();
  }
}

export function showProblem(form, error) {
  clearProblem(form);
  const problem = error instanceof ProblemError ? error.problem : { detail: String(error && error.message) };
  const unplaced = [];
  let first = null;
  for (const item of problem.errors || []) {
    const field = item.field ? form.querySelector(`[name="${CSS.escape(item.field)}"]`) : null;
    if (!field || field.type === "hidden") {
      unplaced.push(item.message);
      continue;
    }
    const label = form.querySelector(`label[for="${CSS.escape(field.id)}"]`);
    const message = document.createElement("p");
    message.id = field.id + "-error";
    message.className = "error field-error";
    message.dataset.for = field.id;
    message.textContent = (label ? label.textContent.trim() + " " : "") + item.message;
    field.insertAdjacentElement("afterend", message);
    field.setAttribute("aria-invalid", "true");
    const ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    field.setAttribute("aria-describedby", [...ids, message.id].join(" "));
    first = first || field;
  }
  const detail = [problem.detail, ...unplaced].filter(Boolean).join(" ");
  alertOf(form).textContent = detail || "Something went wrong.";
  if (first) first.focus();
}

/** Runs action(form, event) on submit with errors shown on the form. */
export function handle(form, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem(form);
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => (b.disabled = true));
    try {
      await action(form, event);
    } catch (error) {
      showProblem(form, error);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
}

/** The form's named values as an object: checkboxes as booleans, empty strings omitted. */
export function values(form) {
  const result = {};
  for (const element of form.elements) {
    if (!element.name || element.disabled) continue;
    if (element.type === "checkbox") result[element.name] = element.checked;
    else if (element.type === "radio") {
      if (element.checked) result[element.name] = element.value;
    } else if (element.value !== "") result[element.name] = element.value;
  }
  return result;
}

/** Drops the snippet's kept answer so every page sees the new reader state. */
export function readerChanged() {
  const membership = window.Membership;
  if (membership && membership.refresh) {
    return membership.refresh().then(showReader);
  }
  return Promise.resolve();
}

/** Fills the masthead's #greeting (when present) from the snippet's answer. */
export function showReader(answer) {
  const greeting = document.getElementById("greeting");
  if (!greeting) return answer;
  if (!answer) {
    const membership = window.Membership;
    if (membership && membership.entitlements) membership.entitlements.then(showReader);
    else greeting.textContent = "";
    return answer;
  }
  greeting.textContent = answer.signedIn ? "Signed in as " + (answer.displayName || "reader") : "Not signed in";
  return answer;
}

/** The reader's state from the snippet, or anonymous when it is not loaded. */
export function entitlements() {
  const membership = window.Membership;
  return membership && membership.entitlements
    ? membership.entitlements
    : Promise.resolve({ signedIn: false, supporter: false, showSupportAsk: true });
}

/**
 * Opens a staff page to a member holding one of `roles`: hides #loading and shows either the
 * `content` element or the `closed` one, whose "-message" paragraph gets the error when /api/me
 * failed for another reason than being signed out. The server checks the role on every call; this
 * only spares everyone else a page of controls that would all answer 403. Resolves to the member's
 * roles when the page opened, otherwise to null.
 */
export async function openStaffPage(roles, { closed, content }) {
  let member = null;
  // Staff pages load no snippet: the masthead's greeting comes from the answer that gives the roles.
  try {
    member = await api("/api/me");
    showReader({ signedIn: true, displayName: member.displayName });
  } catch (error) {
    if (error.status === 401) showReader({ signedIn: false });
    else document.getElementById(closed + "-message").textContent = error.message;
  }
  document.getElementById("loading").hidden = true;
  const held = (member && member.roles) || [];
  const open = held.some((role) => roles.includes(role));
  document.getElementById(closed).hidden = open;
  document.getElementById(content).hidden = !open;
  return open ? held : null;
}

/** Offers a Blob as a file download through a temporary link; returns the link's URL. */
export function saveBlob(blob, filename, link) {
  const url = URL.createObjectURL(blob);
  const a = link || document.createElement("a");
  a.href = url;
  a.download = filename;
  if (!link) {
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } else {
    a.hidden = false;
    a.click();
  }
  return url;
}

/** A token from ?token=..., removed from the address bar so it is not kept in history. */
export function takeToken() {
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  if (token) {
    params.delete("token");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? "?" + rest : ""));
  }
  return token;
}

/**
 * Where ?next=... points, if it resolves on this very origin; otherwise the fallback. Resolving is
 * the browser's own URL parser, so tabs, backslashes and encodings that turn "/\t/evil.example"
 * into another host are judged exactly as navigation would judge them.
 */
export function nextPath(fallback) {
  const next = new URLSearchParams(location.search).get("next");
  if (!next) return fallback;
  try {
    const target = new URL(next, location.origin);
    return target.origin === location.origin ? target.pathname + target.search + target.hash : fallback;
  } catch (e) {
    return fallback;
  }
}

/**
 * Money in minor units as text in the reader's locale. `decimals` is the exponent the API serves
 * with an amount (`currencyDecimals`, Stripe's rule); without it, ISO 4217's digits are assumed.
 */
export function money(amount, currency, decimals) {
  const digits = Number.isInteger(decimals)
    ? decimals
    : new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
  return new Intl.NumberFormat(undefined, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount / 10 ** digits);
}

showReader();
document.addEventListener("membership:entitlements", (event) => showReader(event.detail));
