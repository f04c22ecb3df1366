/**
 * The JavaScript that runs inside the QuickJS sandbox after nunjucks itself: one Environment with
 * Backstage's `${{ }}` variable tags and no autoescape, Backstage's default filters (parseRepoUrl,
 * parseEntityRef, pick, projectSlug), and the two entry points the host calls. Values arrive as JSON text
 * and results leave as strings, so no host object is ever reachable from a template.
 */
export const VM_PRELUDE = String.raw`
(function () {
  var TAGS = { variableStart: "\${{", variableEnd: "}}" };
  var env = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: false, tags: TAGS });

  function parseQuery(q) {
    var out = {};
    if (!q) return out;
    q.split("&").forEach(function (pair) {
      if (!pair) return;
      var i = pair.indexOf("=");
      var k = decodeURIComponent((i < 0 ? pair : pair.slice(0, i)).replace(/\+/g, " "));
      var v = i < 0 ? "" : decodeURIComponent(pair.slice(i + 1).replace(/\+/g, " "));
      out[k] = v;
    });
    return out;
  }
  // RepoUrlPicker's value: "github.com?owner=acme&repo=svc" (Backstage's parseRepoUrl).
  function parseRepoUrl(url) {
    if (typeof url !== "string") throw new Error("parseRepoUrl: expected a string like github.com?owner=o&repo=r");
    var i = url.indexOf("?");
    var host = (i < 0 ? url : url.slice(0, i)).replace(/^https?:\/\//, "").replace(/\/+$/, "");
    var q = parseQuery(i < 0 ? "" : url.slice(i + 1));
    if (!host) throw new Error("Invalid repo URL passed to publisher: " + url + ", missing host");
    var out = { host: host };
    ["owner", "repo", "organization", "workspace", "project"].forEach(function (k) { if (q[k] !== undefined) out[k] = q[k]; });
    if (!out.repo) throw new Error("Invalid repo URL passed to publisher: " + url + ", missing repo");
    return out;
  }
  function parseEntityRef(ref, context) {
    if (typeof ref !== "string" || !ref) throw new Error("parseEntityRef: expected a non-empty entity ref string");
    context = context || {};
    var kind, namespace, name = ref;
    var colon = name.indexOf(":");
    if (colon > 0) { kind = name.slice(0, colon); name = name.slice(colon + 1); }
    var slash = name.indexOf("/");
    if (slash > 0) { namespace = name.slice(0, slash); name = name.slice(slash + 1); }
    kind = kind || context.defaultKind;
    namespace = namespace || context.defaultNamespace || "default";
    if (!kind) throw new Error("Entity reference \"" + ref + "\" had missing or empty kind (e.g. did not start with \"component:\" or similar)");
    if (!name) throw new Error("Entity reference \"" + ref + "\" had missing or empty name");
    return { kind: kind, namespace: namespace, name: name };
  }
  env.addFilter("parseRepoUrl", parseRepoUrl);
  env.addFilter("parseEntityRef", parseEntityRef);
  env.addFilter("pick", function (obj, key) { return obj == null ? undefined : Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined; });
  env.addFilter("projectSlug", function (url) { var r = parseRepoUrl(url); return (r.owner || r.organization || r.workspace || r.project) + "/" + r.repo; });

  var TemplateData = nunjucks.nodes.TemplateData;
  function isSingle(str) {
    var parsed = nunjucks.parser.parse(str, {}, { autoescape: false, tags: TAGS });
    return parsed.children.length === 1 && !(parsed.children[0].children && parsed.children[0].children[0] instanceof TemplateData);
  }
  globalThis.__edgestage = {
    render: function (str, values) {
      try { return env.renderString(str, JSON.parse(values)); } catch (e) { throw new Error(String(e && e.message || e)); }
    },
    // "1" when str is exactly one ${{ }} expression (its value keeps its JSON type), else "0".
    isSingle: function (str) { try { return isSingle(str) ? "1" : "0"; } catch (e) { return "0"; } },
  };
})();
`;
