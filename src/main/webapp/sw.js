/*
 * The service worker for news alerts. A publisher serves this file from the article site's own
 * origin (for example https://www.example.com/sw.js): a push subscription belongs to the origin
 * whose service worker made it. It shows each alert and opens its article when clicked.
 */
"use strict";

self.addEventListener("push", function (event) {
  var alert = {};
  try {
    alert = event.data ? event.data.json() : {};
  } catch (e) {
    alert = { title: "News alert", body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(alert.title || "News alert", {
      body: alert.body || "",
      tag: alert.id || undefined,
      data: { url: alert.url || "/" }
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.openWindow(url));
});

/* The browser replaced the subscription (keys or endpoint changed): nothing to do here; the page
   sends the new one the next time the reader visits, and the service drops the old endpoint when
   its push service answers 404/410. */
