// Karibu owner app: the little script it needs. Pages work without it.
(() => {
  "use strict";
  // Offline banner: shown while the phone has no connection.
  const banner = document.getElementById("offline-banner");
  const show = () => { if (banner) banner.hidden = navigator.onLine; };
  addEventListener("online", show);
  addEventListener("offline", show);
  show();

  // Installable app and offline agenda: the service worker keeps the shell and the last loaded agenda.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/app" }).catch(() => { /* pages work without it */ });
  }
})();
