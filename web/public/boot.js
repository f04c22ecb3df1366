// Runs before first paint, as a file rather than inline so the portal's Content-Security-Policy can forbid
// inline scripts (web/public/_headers). Four jobs:
(function () {
  // 1. The landing page's first API reads, started while the app's JS downloads; api/early.ts hands each
  // response to the first request for the same path. Entity pages: the entity and its provenance (the paths
  // must match byNamePath() in api/params.ts and api/entity-info.ts). `/catalog`: the default view's reads,
  // computed at build time from lib/catalog-query.ts by the plugin in vite.config.ts into the JSON block above
  // this script. A template's form (/create/templates/:namespace/:name): the Template entity. A docs page
  // (/docs/:namespace/:kind/:name/<page>): the site and the page, as plugins/techdocs/web/Reader.tsx asks for
  // them (through api.fetchJson, which takes early reads too). The worker serves these pages with the same
  // reads already answered (worker/portal/, which lists them the same way): a `<script type="application/json"
  // data-read="<path>" data-status="<status>">` block per answer, taken here instead of a fetch.
  if (window.fetch) {
    var paths = [];
    try {
      var path = location.pathname;
      var enc = function (s) { return encodeURIComponent(decodeURIComponent(s)); };
      var m = /^\/catalog\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(path);
      var t = /^\/create\/templates\/([^/]+)\/([^/]+)\/?$/.exec(path);
      var d = /^\/docs\/([^/]+)\/([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(path);
      if (m) paths = ["/api/catalog/entities/by-name/" + enc(m[2]) + "/" + enc(m[1]) + "/" + enc(m[3]), "/api/catalog/entity-info/" + enc(m[2]) + "/" + enc(m[1]) + "/" + enc(m[3])];
      else if (t) paths = ["/api/catalog/entities/by-name/template/" + enc(t[1]) + "/" + enc(t[2])];
      else if (d) {
        var site = "/api/plugins/techdocs/sites/" + enc(d[1]) + "/" + enc(d[2]) + "/" + enc(d[3]);
        var page = (d[4] || "").split("/").filter(function (s) { return s !== ""; }).map(decodeURIComponent).join("/");
        paths = [site, site + "/page?path=" + encodeURIComponent(page)];
      } else if (path === "/catalog" && !location.search) paths = JSON.parse(document.getElementById("edgestage-catalog-reads").textContent);
    } catch (e) {
      paths = []; // a bad escape in the address: the app reports it; no read is guessed
    }
    // Every page asks who is signed in first (components/Shell.tsx).
    paths.push("/api/auth/session");
    // Answers in blocks before this script (the session) are here now; the page's own (listed in
    // edgestage-reads-coming) follow at the end of the body, read once the document is parsed, which is before
    // the app's module runs. One the worker could not answer is fetched then.
    var answers = function () {
      var found = {};
      var blocks = document.querySelectorAll('script[type="application/json"][data-read]');
      for (var i = 0; i < blocks.length; i++) found[blocks[i].getAttribute("data-read")] = blocks[i];
      return found;
    };
    var has = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
    var toResponse = function (block) {
      return new Response(block.textContent, { status: Number(block.getAttribute("data-status")) || 200, headers: { "content-type": "application/json" } });
    };
    var get = function (path) { return fetch(path, { headers: { accept: "application/json" } }); };
    var answered = {};
    var coming = [];
    try {
      answered = answers();
      coming = JSON.parse(document.getElementById("edgestage-reads-coming").textContent);
    } catch (e) {}
    var parsed = new Promise(function (resolve) {
      if (document.readyState !== "loading") return resolve();
      document.addEventListener("readystatechange", function () { resolve(); }, { once: true });
    });
    window.__edgestageEarly = paths.map(function (path) {
      var p = has(answered, path)
        ? Promise.resolve(toResponse(answered[path]))
        : coming.indexOf(path) >= 0
          ? parsed.then(function () {
              var later = answers();
              return has(later, path) ? toResponse(later[path]) : get(path);
            })
          : get(path);
      p.catch(function () {});
      return { path: path, at: performance.now(), response: p };
    });
  }

  // 2. Theme before first paint, so a dark-mode user never sees a white flash. After the reads have started:
  // a new tab's first localStorage access waits on the browser process (measured up to 30 ms on a busy machine).
  try {
    var theme = localStorage.getItem("edgestage.theme");
    if (theme !== "light" && theme !== "dark") theme = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
    document.documentElement.dataset.theme = theme;
  } catch (e) {}

  // 3. A deep link to a lazy page (a docs page, a template's form): its route chunk and CSS start downloading
  // now, beside the entry, instead of after it has run (the map is written at build time by vite.config.ts).
  try {
    var chunks = JSON.parse(document.getElementById("edgestage-route-chunks").textContent);
    for (var prefix in chunks) {
      if (location.pathname.indexOf(prefix) !== 0) continue;
      chunks[prefix].forEach(function (href) {
        // The worker serves deep links with these tags in the head already (worker/portal/preload.ts).
        if (document.querySelector('link[href="' + href + '"]')) return;
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
