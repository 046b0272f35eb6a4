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

// == Customers: import from the phone's contacts (Contact Picker API, Chrome on Android) ==
// The chosen contacts become vCard text in the paste box and go to the same preview as an uploaded file.
(() => {
  "use strict";
  const button = document.getElementById("pick-contacts");
  if (!button || !("contacts" in navigator && "ContactsManager" in window)) return;
  const form = document.getElementById("import-form");
  const escape = (s) => String(s).replace(/\\/g, "\\\\").replace(/,/g, "\\,").replace(/;/g, "\\;").replace(/\r?\n/g, "\\n");
  button.hidden = false;
  button.addEventListener("click", async () => {
    let picked;
    try {
      picked = await navigator.contacts.select(["name", "tel"], { multiple: true });
    } catch {
      return;
    }
    if (!picked || picked.length === 0) return;
    const cards = picked.map((c) => [
      "BEGIN:VCARD", "VERSION:4.0", "FN:" + escape((c.name || [])[0] || ""),
      ...(c.tel || []).map((t) => "TEL:" + escape(t)), "END:VCARD",
    ].join("\r\n"));
    form.querySelector("textarea[name='Upload.Text']").value = cards.join("\r\n") + "\r\n";
    form.querySelector("input[type=file]").value = "";
    form.submit();
  });
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

// == Settings → Business: shrink the chosen photo in the phone before it is sent ==
// A 4 MB camera photo becomes a ~50 KB WebP (or JPEG) at most 512 px on its longest side. Without this script the file
// goes as it is and the server refuses it politely when it is too large.
(() => {
  "use strict";
  const input = document.getElementById("photo-file");
  if (!input || !window.DataTransfer || !HTMLCanvasElement.prototype.toBlob) return;
  const maxBytes = Number(input.dataset.maxBytes), maxPixels = Number(input.dataset.maxPixels);
  const save = document.getElementById("photo-save");
  const preview = document.getElementById("photo-preview");
  const initials = document.getElementById("photo-initials");
  const encode = (canvas, type, quality) => new Promise((resolve) => canvas.toBlob(resolve, type, quality));
  const shrink = async (file) => {
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.src = url;
      await img.decode(); // the phone's orientation (EXIF) is applied, as on screen
      const scale = Math.min(1, maxPixels / Math.max(img.naturalWidth, img.naturalHeight));
      if (scale === 1 && file.size <= maxBytes && /^image\/(jpeg|png|webp)$/.test(file.type)) return file;
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
      canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
      const context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(img, 0, 0, canvas.width, canvas.height);
      let type = "image/webp", blob = await encode(canvas, type, 0.82);
      if (!blob || blob.type !== type) {
        // No WebP encoder (older Safari): JPEG, on white where the picture was transparent.
        type = "image/jpeg";
        context.globalCompositeOperation = "destination-over";
        context.fillStyle = "#fff";
        context.fillRect(0, 0, canvas.width, canvas.height);
      }
      for (const quality of [0.82, 0.7, 0.55, 0.4]) {
        if (blob && blob.type === type && blob.size <= maxBytes) break;
        blob = await encode(canvas, type, quality);
      }
      const name = (file.name || "photo").replace(/\.[^.]*$/, "") + (type === "image/webp" ? ".webp" : ".jpg");
      return blob ? new File([blob], name, { type, lastModified: Date.now() }) : file;
    } finally {
      URL.revokeObjectURL(url);
    }
  };
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file || !file.type.startsWith("image/")) return;
    if (save) save.disabled = true;
    try {
      const small = await shrink(file);
      if (small !== file) {
        const list = new DataTransfer();
        list.items.add(small);
        input.files = list.files;
      }
      if (preview) {
        preview.src = URL.createObjectURL(small);
        preview.hidden = false;
        if (initials) initials.hidden = true;
      }
      input.dataset.ready = String(small.size);
    } catch {
      // Not a picture the browser can read (or no memory for it): the file goes as it is and the server decides.
      input.dataset.ready = "0";
    } finally {
      if (save) save.disabled = false;
    }
  });
})();
