// Karibu owner app: the little script it needs. Pages work without it.
(() => {
  "use strict";
  // Offline banner: shown while the phone has no connection.
  const banner = document.getElementById("offline-banner");
  const show = () => { if (banner) banner.hidden = navigator.onLine; };
  addEventListener("online", show);
  addEventListener("offline", show);
  show();
})();
