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

// Share the booking link (welcome wizard): the phone's share sheet, else copy to the clipboard.
(() => {
  "use strict";
  for (const button of document.querySelectorAll("[data-share]")) {
    button.addEventListener("click", async () => {
      const url = button.dataset.share, text = button.dataset.shareText || "";
      try {
        if (navigator.share) { await navigator.share({ text, url }); return; }
        await navigator.clipboard.writeText(url);
        button.textContent = button.dataset.copied;
      } catch { /* dismissed or not allowed: the link stays on screen to copy by hand */ }
    });
  }
})();
