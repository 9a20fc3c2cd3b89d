/*
 * News alerts on an article page. Offers "Stay up to date with notifications" only after the
 * reader clicks (never an automatic permission prompt), subscribes through the service worker the
 * article site serves (data-sw on the script tag, default /sw.js), and sends the subscription with
 * the chosen topics to the membership service (the origin this script is loaded from).
 *
 * Markup it fills: an element with id "alerts" containing #alerts-offer (a button), #alerts-form
 * (topic checkboxes are added to #alerts-topics), #alerts-status and #alerts-off (a button).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var apiBase = script ? new URL(script.src, location.href).origin : location.origin;
  var swPath = (script && script.getAttribute("data-sw")) || "/sw.js";
  var TOPIC_KEY = "membership.alerts.topics";
  var LABELS = { breaking: "Breaking news", politics: "Politics", business: "Business", sport: "Sport", culture: "Culture" };

  function $(id) {
    return document.getElementById(id);
  }

  function supported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  function status(text) {
    $("alerts-status").textContent = text;
  }

  function b64ToBytes(value) {
    var padded = value.replace(/-/g, "+").replace(/_/g, "/");
    padded += "===".slice((padded.length + 3) % 4);
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function call(method, body) {
    return fetch(apiBase + "/api/notifications/subscriptions", {
      method: method,
      credentials: "include",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok && response.status !== 404) {
        return response.json().then(function (problem) {
          throw new Error(problem.detail || problem.title || "The alert service said no.");
        }, function () {
          throw new Error("The alert service is not available right now.");
        });
      }
      return response.status === 204 || response.status === 404 ? null : response.json();
    });
  }

  function chosenTopics() {
    var boxes = $("alerts-topics").querySelectorAll("input[type=checkbox]");
    var topics = [];
    boxes.forEach(function (box) {
      if (box.checked) topics.push(box.value);
    });
    return topics;
  }

  function showState(subscribed, topics) {
    $("alerts-offer").hidden = subscribed;
    $("alerts-off").hidden = !subscribed;
    $("alerts-save").textContent = subscribed ? "Save topics" : "Turn on alerts";
    if (subscribed) {
      status("You get alerts for: " + topics.map(function (t) { return LABELS[t] || t; }).join(", ") + ".");
    }
  }

  function renderTopics(options, selected) {
    var list = $("alerts-topics");
    list.replaceChildren();
    options.topics.forEach(function (topic) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "topic";
      box.value = topic;
      box.checked = selected.indexOf(topic) >= 0;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + (LABELS[topic] || topic)));
      list.appendChild(label);
    });
  }

  var options = null;
  function loadOptions() {
    if (options) return Promise.resolve(options);
    return fetch(apiBase + "/api/notifications/subscriptions/options", { credentials: "include" })
      .then(function (r) { return r.json(); })
      .then(function (o) { options = o; return o; });
  }

  function registration() {
    return navigator.serviceWorker.register(swPath).then(function () {
      return navigator.serviceWorker.ready;
    });
  }

  function save(event) {
    event.preventDefault();
    var topics = chosenTopics();
    if (!topics.length) {
      status("Choose at least one topic.");
      return;
    }
    status("Turning on alerts…");
    // The permission prompt follows the reader's click on this form, never the page load.
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") throw new Error("Notifications are blocked in this browser's settings.");
        return registration();
      })
      .then(function (reg) {
        return reg.pushManager.getSubscription().then(function (existing) {
          return existing || reg.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: b64ToBytes(options.applicationServerKey)
          });
        });
      })
      .then(function (subscription) {
        var json = subscription.toJSON();
        return call("POST", { endpoint: json.endpoint, keys: json.keys, topics: topics });
      })
      .then(function (answer) {
        localStorage.setItem(TOPIC_KEY, JSON.stringify(answer.topics));
        showState(true, answer.topics);
      })
      .catch(function (error) {
        status(error.message);
      });
  }

  function turnOff() {
    status("Turning off alerts…");
    registration()
      .then(function (reg) { return reg.pushManager.getSubscription(); })
      .then(function (subscription) {
        if (!subscription) return null;
        var json = subscription.toJSON();
        return call("DELETE", { endpoint: json.endpoint, keys: { auth: json.keys.auth } }).then(function () {
          return subscription.unsubscribe();
        });
      })
      .then(function () {
        localStorage.removeItem(TOPIC_KEY);
        showState(false, []);
        $("alerts-form").hidden = true;
        status("Alerts are off.");
      })
      .catch(function (error) {
        status(error.message);
      });
  }

  function start() {
    var root = $("alerts");
    if (!root) return;
    if (!supported()) {
      return;
    }
    root.hidden = false;
    var stored = JSON.parse(localStorage.getItem(TOPIC_KEY) || "null");
    var subscribed = !!stored && Notification.permission === "granted";
    showState(subscribed, stored || []);
    if (subscribed) {
      loadOptions().then(function (o) {
        renderTopics(o, stored);
        $("alerts-form").hidden = false;
      });
    }
    $("alerts-offer").addEventListener("click", function () {
      loadOptions().then(function (o) {
        renderTopics(o, ["breaking"]);
        $("alerts-form").hidden = false;
        $("alerts-offer").hidden = true;
      }, function () {
        status("The alert service is not available right now.");
      });
    });
    $("alerts-form").addEventListener("submit", save);
    $("alerts-off").addEventListener("click", turnOff);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
