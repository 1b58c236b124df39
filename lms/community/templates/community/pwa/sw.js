{% autoescape off %}/* HọcSố service worker (community digital teams, open courses). Rendered by
   lms.community.pwa.service_worker: a new cache version whenever the precache list or the
   static files change. */
"use strict";
const VERSION = "{{ version }}";
const CACHE = "hocso-" + VERSION;
const PRECACHE = {{ precache }};
const PAGE_PREFIXES = {{ page_prefixes }};
const NEVER = {{ never }};
const MANIFEST = {{ manifest }};
const TIMEOUT_MS = 4000;
const OFFLINE_HTML = `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>HọcSố</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:1.5rem;color:#1b1f24}
h1{font-size:1.25rem;color:#0b5cab}</style></head><body>
<h1>Không có mạng</h1><p>Trang này chưa được lưu trên điện thoại. Hãy thử lại khi có sóng.</p>
<p><a href="/community/">Về trang tổ công nghệ số</a></p>
<h1 lang="en">You are offline</h1><p lang="en">This page is not kept on this phone yet.
Try again when there is signal.</p><p lang="en"><a href="/community/">Back to the team's page</a></p>
</body></html>`;

function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // one URL that fails (a page gone, no network) must not fail the install
    await Promise.allSettled(PRECACHE.map(async (url) => {
      const response = await fetch(url, {credentials: "same-origin", cache: "reload"});
      if (keepable(response)) await cache.put(url, response);
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("hocso-") && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

function isPage(request, url) {
  if (url.pathname === MANIFEST) return true;
  if (request.mode !== "navigate") return false;
  return PAGE_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));
}

function offlinePage() {
  return new Response(OFFLINE_HTML, {
    status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
}

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return cache.match(request, {ignoreVary: true});
}

async function networkFirst(event) {
  const request = event.request;
  const key = new URL(request.url);
  key.hash = "";
  const network = fetch(request).then(async (response) => {
    if (keepable(response)) {
      const cache = await caches.open(CACHE);
      await cache.put(key.href, response.clone());
    }
    return response;
  });
  event.waitUntil(network.then(() => undefined, () => undefined));
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS);
  });
  try {
    return await Promise.race([network, timeout]);
  } catch (error) {
    const cached = await fromCache(key.href);
    if (cached) return cached;
    try {
      return await network;  // slow, but nothing better to show
    } catch (error2) {
      return offlinePage();
    }
  } finally {
    clearTimeout(timer);
  }
}

async function cacheFirst(request) {
  const cached = await fromCache(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (keepable(response)) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (url.pathname.startsWith("{{ static_url }}")) {
    event.respondWith(cacheFirst(request));
  } else if (isPage(request, url)) {
    event.respondWith(networkFirst(event));
  }
  // anything else (API, admin, HR pages, other pages): not intercepted
});
{% endautoescape %}
