/**
 * web/public/boot.js run in node:vm against a stand-in document and window: which reads it starts (and which it
 * takes from data blocks instead), the links it adds, what it touches in which order.
 */
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";

const BOOT = readFileSync(new URL("../../web/public/boot.js", import.meta.url), "utf8");
/** The catalog page's reads in the stand-in index.html. */
export const CATALOG_READS = ["/api/catalog/entities/by-query?limit=100", "/api/catalog/entity-facets?facet=kind&facet=spec.type"];
export const CHUNKS = { "/docs/": ["/assets/DocsPage-x.js", "/assets/techdocs-y.css"], "/create/templates/": ["/assets/TemplateForm-z.js"] };

/** A data block the worker wrote into index.html (worker/portal/inline.ts): an answered read. */
export interface Block {
  read: string;
  status: number;
  text: string;
}

/**
 * Runs boot.js for `pathname` + `search` as the parser reaches it: `answered` are the blocks before it, `coming`
 * the reads the worker listed as following. `finishParsing(later)` adds the blocks at the end of the body and
 * fires readystatechange, as the browser does when the document is parsed.
 */
export function boot(pathname: string, answered: Block[] = [], search = "", coming?: string[], present: string[] = []) {
  const links: Record<string, string>[] = [];
  const blocks: Record<string, string> = { "edgestage-catalog-reads": JSON.stringify(CATALOG_READS), "edgestage-route-chunks": JSON.stringify(CHUNKS) };
  if (coming) blocks["edgestage-reads-coming"] = JSON.stringify(coming);
  const inDocument = [...answered];
  const listeners: (() => void)[] = [];
  /** What happened, in order: each read started and the first localStorage access. */
  const order: string[] = [];
  const window: Record<string, unknown> = { fetch: (path: string) => (order.push(`fetch ${path}`), Promise.resolve(path)) };
  const document = {
    readyState: "loading",
    addEventListener: (type: string, fn: () => void) => type === "readystatechange" && listeners.push(fn),
    documentElement: { dataset: {} },
    getElementById: (id: string) => (id in blocks ? { textContent: blocks[id] } : null),
    createElement: () => ({}) as Record<string, string>,
    head: { appendChild: (l: Record<string, string>) => links.push(l) },
    // Links already in the document (the worker's preload tags, worker/portal/preload.ts), by href.
    querySelector: (selector: string) => {
      const m = /^link\[href="([^"]*)"\]$/.exec(selector);
      return m && present.includes(m[1]!) ? {} : null;
    },
    querySelectorAll: (selector: string) =>
      selector === 'script[type="application/json"][data-read]'
        ? inDocument.map((b) => ({ textContent: b.text, getAttribute: (name: string) => (name === "data-read" ? b.read : name === "data-status" ? String(b.status) : null) }))
        : [],
  };
  runInNewContext(BOOT, {
    window,
    document,
    location: { pathname, search },
    fetch: window.fetch,
    performance: { now: () => 0 },
    localStorage: { getItem: () => (order.push("localStorage"), null) },
    matchMedia: () => ({ matches: false }),
    setTimeout: () => 0,
    Response,
    Promise,
    Number,
    Object,
  });
  const entries = window.__edgestageEarly as { path: string; response: Promise<Response | string> }[];
  const early = entries.map((e) => e.path);
  const finishParsing = (later: Block[] = []) => {
    inDocument.push(...later);
    document.readyState = "interactive";
    for (const fn of listeners) fn();
  };
  return { early, entries, order, finishParsing, theme: (document.documentElement.dataset as { theme?: string }).theme, links: links.map((l) => ({ rel: l.rel, as: l.as, href: l.href })) };
}

