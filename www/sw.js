// The FOTA Sandbox's service worker: after one visit the app opens and runs with the network
// gone (a workshop room with bad Wi-Fi). The build writes the app's files and a version made
// from their bytes into BUILD (scripts/sw-assets.sh, a Trunk post_build hook); a new version
// is a new cache, and the page offers to reload into it, never by itself.
const BUILD = { version: 'unbuilt', files: [] };
const PREFIX = 'fota-sandbox-';
const CACHE = PREFIX + BUILD.version;

self.addEventListener('install', (event) => {
  // Paths are relative to this file, so the app works under any sub-path.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(BUILD.files)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The page asks for the new version only when the student chooses to reload.
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // The page from the network when there is one (a new version shows at once), else the
    // cached page, whatever its query (?scenario=, ?challenge=).
    event.respondWith(
      fetch(request).catch(async () => {
        const cache = await caches.open(CACHE);
        return (
          (await cache.match(request, { ignoreSearch: true })) ||
          (await cache.match('./', { ignoreSearch: true })) ||
          Response.error()
        );
      }),
    );
    return;
  }
  // Hashed assets never change under one name: the cache first.
  event.respondWith(
    caches.open(CACHE).then(async (cache) => (await cache.match(request)) || fetch(request)),
  );
});
