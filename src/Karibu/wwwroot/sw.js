// Karibu owner app service worker: an offline shell, and the last loaded agenda when there is no connection.
// Pages are fetched from the network first (they are live data); static files from the cache first.
"use strict";
const VERSION = "karibu-v1";
const STATIC = `${VERSION}-static`;
const PAGES = `${VERSION}-pages`;
const SHELL = "/offline.html";
const PRECACHE = [SHELL, "/css/site.css", "/css/app.css", "/js/app.js", "/icons/icon-192.png", "/manifest.webmanifest"];

self.addEventListener("install", event => {
  event.waitUntil(caches.open(STATIC).then(cache => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", event => {
  event.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(k => !k.startsWith(VERSION)).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The screens worth keeping for offline use: the agenda (Today, any day, the week).
const keeps = url => url.pathname === "/app" || url.pathname === "/app/" || url.pathname === "/app/week";

self.addEventListener("fetch", event => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    // Signing in or out: forget the pages kept for the previous person.
    if (url.pathname.startsWith("/app/sign-")) {
      event.respondWith(caches.delete(PAGES).then(() => fetch(request)));
      return;
    }
    event.respondWith(page(request, url));
    return;
  }

  if (request.method === "GET" && (url.pathname.startsWith("/css/") || url.pathname.startsWith("/js/") || url.pathname.startsWith("/icons/"))) {
    // Stale-while-revalidate: answer from the cache at once, refresh it behind.
    event.respondWith(caches.open(STATIC).then(async cache => {
      const cached = await cache.match(request);
      const fresh = fetch(request).then(response => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      }).catch(() => cached);
      return cached || fresh;
    }));
  }
});

async function page(request, url) {
  try {
    const response = await fetch(request);
    if (request.method === "GET" && response.ok && !response.redirected && keeps(url)) {
      const cache = await caches.open(PAGES);
      await cache.put(request, response.clone());
      if (url.search === "" || url.pathname === "/app/") await cache.put("/app", response.clone());
    }
    return response;
  } catch {
    const cache = await caches.open(PAGES);
    return (request.method === "GET" && (await cache.match(request) || (keeps(url) && await cache.match("/app"))))
      || await caches.match(SHELL)
      || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
