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

// == Settings ==
(() => {
  "use strict";
  // Share the booking page: the phone's share sheet when there is one, else copy the link.
  for (const button of document.querySelectorAll("[data-share]")) {
    button.addEventListener("click", async () => {
      const url = button.dataset.share;
      const status = button.closest(".card")?.querySelector(".share-status");
      try {
        if (navigator.share) {
          await navigator.share({ title: button.dataset.shareTitle, url });
          return;
        }
        await navigator.clipboard.writeText(url);
        if (status) status.textContent = button.dataset.copied;
      } catch { /* the person closed the share sheet */ }
    });
  }

  // WhatsApp Embedded Signup: only on the channels screen, and only when the server has a Meta app configured.
  const signup = document.getElementById("embedded-signup");
  const form = document.getElementById("embedded-form");
  if (!signup || !form) return;
  let session = {};
  addEventListener("message", (event) => {
    if (!/^https:\/\/([a-z]+\.)?facebook\.com$/.test(event.origin)) return;
    try {
      const data = JSON.parse(event.data);
      if (data.type === "WA_EMBEDDED_SIGNUP" && data.event === "FINISH") session = data.data || {};
    } catch { /* not Embedded Signup's message */ }
  });
  window.fbAsyncInit = () => {
    FB.init({ appId: signup.dataset.appId, autoLogAppEvents: true, xfbml: false, version: signup.dataset.version });
    signup.disabled = false;
  };
  const sdk = document.createElement("script");
  sdk.src = "https://connect.facebook.net/en_US/sdk.js";
  sdk.async = true;
  sdk.crossOrigin = "anonymous";
  document.head.appendChild(sdk);
  signup.addEventListener("click", () => {
    FB.login((response) => {
      const code = response && response.authResponse && response.authResponse.code;
      if (!code) return;
      // The session-info message with the number's ids may arrive just after the login answer.
      const send = () => {
        form.elements["Embedded.Code"].value = code;
        form.elements["Embedded.PhoneNumberId"].value = session.phone_number_id || "";
        form.elements["Embedded.WabaId"].value = session.waba_id || "";
        form.submit();
      };
      setTimeout(send, session.phone_number_id ? 0 : 1500);
    }, { config_id: signup.dataset.configId, response_type: "code", override_default_response_type: true, extras: { setup: {}, sessionInfoVersion: "3" } });
  });
})();
