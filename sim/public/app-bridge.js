// Offline stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js, served by the simulator.
// It provides the part of App Bridge that Tandem relies on: window.shopify with idToken(), toast,
// loading and config, the save bar of forms marked data-save-bar, and the automatic `Authorization: Bearer <session token>` header on the
// app's own fetches. Fresh tokens come from the simulator's admin frame (the parent window);
// without a parent, the id_token the page was opened with is used.
(function () {
  var script = document.currentScript;
  var apiKey = (script && script.getAttribute("data-api-key")) || "";
  var params = new URLSearchParams(window.location.search);
  var current = { token: params.get("id_token"), expiresAt: 0 };
  current.expiresAt = expiryOf(current.token);
  var pending = null;

  function expiryOf(token) {
    try {
      var payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return payload.exp * 1000;
    } catch {
      return 0;
    }
  }

  function askParentForToken() {
    if (window.parent === window) return Promise.resolve(current.token);
    if (pending) return pending;
    pending = new Promise(function (resolve) {
      var id = Math.random().toString(36).slice(2);
      function onMessage(event) {
        if (!event.data || event.data.type !== "tandem-sim:id-token" || event.data.id !== id) return;
        window.removeEventListener("message", onMessage);
        pending = null;
        current = { token: event.data.token, expiresAt: expiryOf(event.data.token) };
        resolve(current.token);
      }
      window.addEventListener("message", onMessage);
      window.parent.postMessage({ type: "tandem-sim:request-id-token", id: id }, "*");
      setTimeout(function () {
        window.removeEventListener("message", onMessage);
        pending = null;
        resolve(current.token);
      }, 2000);
    });
    return pending;
  }

  function idToken() {
    if (current.token && current.expiresAt - Date.now() > 10000) return Promise.resolve(current.token);
    return askParentForToken();
  }

  function isSameOrigin(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch {
      return false;
    }
  }

  var originalFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!isSameOrigin(url)) return originalFetch(input, init);
    return idToken().then(function (token) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      if (token && !headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      return originalFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };

  function toastRegion() {
    var region = document.getElementById("tandem-sim-toasts");
    if (!region) {
      region = document.createElement("div");
      region.id = "tandem-sim-toasts";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      region.style.cssText =
        "position:fixed;bottom:16px;left:50%;transform:translateX(-50%);z-index:1000;font:14px system-ui";
      document.body.appendChild(region);
    }
    return region;
  }

  // <ui-nav-menu> holds the app's navigation; the admin shows it outside the iframe. Here it is
  // hidden and its links are sent to the simulator's admin chrome, which asks us to navigate.
  var style = document.createElement("style");
  style.textContent = "ui-nav-menu, ui-title-bar, ui-save-bar { display: none !important; }";
  document.head.appendChild(style);

  function reportNavigation() {
    var menu = document.querySelector("ui-nav-menu");
    if (!menu || window.parent === window) return;
    var links = Array.prototype.map.call(menu.querySelectorAll("a"), function (a) {
      return { href: a.getAttribute("href"), label: a.textContent, home: a.getAttribute("rel") === "home" };
    });
    window.parent.postMessage({ type: "tandem-sim:nav-menu", links: links, path: window.location.pathname }, "*");
  }
  new MutationObserver(reportNavigation).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", reportNavigation);

  window.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "tandem-sim:navigate") return;
    var link = document.querySelector('ui-nav-menu a[href="' + event.data.href + '"]');
    if (link) link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
  });

  // <form data-save-bar>: App Bridge shows its save bar, outside the iframe, while the form's values
  // differ from what they were when it appeared (or was last submitted or reset). The bar's Save
  // submits the form and its Discard resets it: the submit and reset events App Bridge fires.
  var saveBarBaselines = new Map();
  var saveBarShownFor = null;
  function formState(form) {
    return JSON.stringify(Array.from(new FormData(form).entries()).map(function (entry) { return [entry[0], String(entry[1])]; }));
  }
  function refreshSaveBar() {
    // A form still being parsed is not whole yet: its first state is taken once the page is.
    if (document.readyState === "loading") return;
    var dirty = null;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-save-bar]"), function (form) {
      if (!saveBarBaselines.has(form)) saveBarBaselines.set(form, formState(form));
      else if (!dirty && saveBarBaselines.get(form) !== formState(form)) dirty = form;
    });
    if (dirty === saveBarShownFor) return;
    saveBarShownFor = dirty;
    document.documentElement.toggleAttribute("data-tandem-save-bar", Boolean(dirty));
    if (window.parent !== window) window.parent.postMessage({ type: "tandem-sim:save-bar", visible: Boolean(dirty) }, "*");
  }
  // After the event: React updates the form's inputs once its own handlers have run.
  function refreshSaveBarSoon() { setTimeout(refreshSaveBar, 0); }
  function takeBaseline(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-save-bar")) return;
    setTimeout(function () {
      saveBarBaselines.set(form, formState(form));
      refreshSaveBar();
    }, 0);
  }
  ["input", "change"].forEach(function (type) { document.addEventListener(type, refreshSaveBarSoon, true); });
  document.addEventListener("submit", takeBaseline, true);
  document.addEventListener("reset", takeBaseline, true);
  document.addEventListener("DOMContentLoaded", refreshSaveBar);
  new MutationObserver(refreshSaveBarSoon).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "tandem-sim:save-bar-action" || !saveBarShownFor) return;
    if (event.data.action === "save") saveBarShownFor.requestSubmit();
    else saveBarShownFor.reset();
  });

  window.shopify = {
    config: { apiKey: apiKey, shop: params.get("shop"), host: params.get("host"), locale: params.get("locale") || "en" },
    environment: { embedded: true, mobile: false, pos: false },
    origin: window.location.origin,
    idToken: idToken,
    loading: function (isLoading) {
      document.documentElement.toggleAttribute("data-tandem-loading", Boolean(isLoading));
    },
    toast: {
      show: function (message, options) {
        var item = document.createElement("div");
        item.className = "tandem-sim-toast" + (options && options.isError ? " tandem-sim-toast--error" : "");
        item.textContent = message;
        item.style.cssText =
          "background:" + (options && options.isError ? "#8e1f0b" : "#1a1a1a") + ";color:#fff;padding:8px 16px;border-radius:8px;margin-top:8px";
        toastRegion().appendChild(item);
        setTimeout(function () { item.remove(); }, (options && options.duration) || 5000);
        return "toast-" + Date.now();
      },
      hide: function () {},
    },
  };
})();
