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
  // response to the first request for the same path. Entity pages: the entity and its provenance (the paths
  // must match byNamePath() in api/params.ts and api/entity-info.ts). `/catalog`: the default view's reads, computed at build time from
  // lib/catalog-query.ts by the plugin in vite.config.ts into the JSON block above this script.
  if (window.fetch) {
    var paths = [];
    var m = /^\/catalog\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(location.pathname);
    var enc = function (s) { return encodeURIComponent(decodeURIComponent(s)); };
    // A template's form (/create/templates/:namespace/:name): the Template entity. A docs page
    // (/docs/:namespace/:kind/:name/<page>): the site and the page, as plugins/techdocs/web/Reader.tsx asks
    // for them (through api.fetchJson, which takes early reads too).
    var t = /^\/create\/templates\/([^/]+)\/([^/]+)\/?$/.exec(location.pathname);
    var d = /^\/docs\/([^/]+)\/([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(location.pathname);
    if (m) paths = ["/api/catalog/entities/by-name/" + enc(m[2]) + "/" + enc(m[1]) + "/" + enc(m[3]), "/api/catalog/entity-info/" + enc(m[2]) + "/" + enc(m[1]) + "/" + enc(m[3])];
    else if (t) paths = ["/api/catalog/entities/by-name/template/" + enc(t[1]) + "/" + enc(t[2])];
    else if (d) {
      try {
        var site = "/api/plugins/techdocs/sites/" + enc(d[1]) + "/" + enc(d[2]) + "/" + enc(d[3]);
        var page = (d[4] || "").split("/").filter(function (s) { return s !== ""; }).map(decodeURIComponent).join("/");
        paths = [site, site + "/page?path=" + encodeURIComponent(page)];
      } catch (e) {}
    } else if (location.pathname === "/catalog" && !location.search) {
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

  // 3. A deep link to a lazy page (a docs page, a template's form): its route chunk and CSS start downloading
  // now, beside the entry, instead of after it has run (the map is written at build time by vite.config.ts).
  try {
    var chunks = JSON.parse(document.getElementById("edgestage-route-chunks").textContent);
    for (var prefix in chunks) {
      if (location.pathname.indexOf(prefix) !== 0) continue;
      chunks[prefix].forEach(function (href) {
        var link = document.createElement("link");
        var css = /\.css$/.test(href);
        link.rel = css ? "preload" : "modulepreload";
        if (css) link.as = "style";
        link.crossOrigin = "";
        link.href = href;
        document.head.appendChild(link);
      });
    }
  } catch (e) {}

  // 4. If the app has not started after 10 s (script blocked, network down), say so instead of spinning.
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
