// Runs before first paint, as a file rather than inline so the portal's Content-Security-Policy can forbid
// inline scripts (web/public/_headers). Three jobs:
(function () {
  // 1. Theme before first paint, so a dark-mode user never sees a white flash.
  try {
    var t = localStorage.getItem("edgestage.theme");
    if (t !== "light" && t !== "dark") t = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
    document.documentElement.dataset.theme = t;
  } catch (e) {}

  // 2. Start the landing page's first API reads while the app's JS downloads; api/early.ts hands each
  // response to the first request for the same path. Entity pages: the entity (the path must match
  // byNamePath() in api/params.ts). `/catalog`: the default view's reads, computed at build time from
  // lib/catalog-query.ts by the plugin in vite.config.ts into the JSON block above this script.
  if (window.fetch) {
    var paths = [];
    var m = /^\/catalog\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(location.pathname);
    var enc = function (s) { return encodeURIComponent(decodeURIComponent(s)); };
    if (m) paths = ["/api/catalog/entities/by-name/" + enc(m[2]) + "/" + enc(m[1]) + "/" + enc(m[3])];
    else if (location.pathname === "/catalog" && !location.search) {
      try {
        paths = JSON.parse(document.getElementById("edgestage-catalog-reads").textContent);
      } catch (e) {}
    }
    // Every page asks who is signed in first (components/Shell.tsx).
    paths.push("/api/auth/session");
    window.__edgestageEarly = paths.map(function (path) {
      var p = fetch(path, { headers: { accept: "application/json" } });
      p.catch(function () {});
      return { path: path, at: performance.now(), response: p };
    });
  }

  // 3. If the app has not started after 10 s (script blocked, network down), say so instead of spinning.
  setTimeout(function () {
    var boot = document.querySelector("#root > .boot");
    if (boot) {
      boot.textContent = "Edgestage is taking longer than usual to load. ";
      var reload = document.createElement("a");
      reload.href = "";
      reload.textContent = "Reload the page";
      boot.appendChild(reload);
    }
  }, 10000);
})();
