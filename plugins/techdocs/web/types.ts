/** The shapes the TechDocs API answers with (plugins/techdocs/routes.ts), as the web part reads them. */
export interface NavItem {
  title: string;
  pageId?: string;
  url?: string;
  children?: NavItem[];
}

export interface Problem {
  name: string;
  message: string;
  file?: string;
}

export interface BuildStats {
  rendered: number;
  unchanged: number;
  removed: number;
  assetsCopied: number;
  count: number;
  at: string;
  commit: string | null;
  trigger: string;
}

export interface SiteSummary {
  ref: string;
  entity: { kind: string; namespace: string; name: string; title: string | null; owner: string | null; type: string | null };
  siteName: string;
  siteDescription: string | null;
  pageCount: number;
  status: "ok" | "failed" | "pending";
  problems: Problem[];
  build: BuildStats | null;
  updatedAt: string;
}

export interface Site extends SiteSummary {
  nav: NavItem[];
  docsDir: string;
  links: { repoUrl: string | null; docsUrl: string | null };
}

export interface PageAnswer {
  page: { id: string; title: string; html: string; toc: { id: string; text: string; level: number }[] };
  site: { ref: string; siteName: string };
  meta: {
    mdPath: string;
    commit: { sha: string | null; author: string | null; date: string | null } | null;
    builtAt: string;
    editUrl: string | null;
    viewUrl: string | null;
    prev: { id: string; title: string } | null;
    next: { id: string; title: string } | null;
  };
}

export interface DocsHit {
  id: string;
  entityRef: string;
  title: string;
  section: string | null;
  path: string;
  snippet: string;
}

export interface EntityName {
  namespace: string;
  kind: string;
  name: string;
}

export const readerHref = (e: EntityName, pageId = "") =>
  `/docs/${encodeURIComponent(e.namespace)}/${encodeURIComponent(e.kind)}/${encodeURIComponent(e.name)}/${pageId.split("/").map(encodeURIComponent).join("/")}`;

export const sitePath = (e: EntityName) => `/sites/${encodeURIComponent(e.namespace)}/${encodeURIComponent(e.kind)}/${encodeURIComponent(e.name)}`;

/** Snippets mark matches with <mark>; everything else is shown as text, whatever the server sent. */
export function snippetHtml(snippet: string): string {
  const escaped = snippet.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  // The server's own escapes (`&#60;`, `&amp;`) stay entities, not double-escaped text.
  return escaped.replace(/&lt;mark&gt;/g, "<mark>").replace(/&lt;\/mark&gt;/g, "</mark>").replace(/&amp;(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, "&$1;");
}

let cssAdded = false;
/** Token colors for highlighted code, served by the worker from the same themes the renderer used. */
export function useHighlightCss(): void {
  if (cssAdded || typeof document === "undefined") return;
  cssAdded = true;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = "/api/plugins/techdocs/highlight.css";
  document.head.appendChild(link);
}
