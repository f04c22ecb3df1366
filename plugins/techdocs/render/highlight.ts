/**
 * Code highlighting in the worker: shiki's core with the JavaScript regex engine (the WASM engine cannot be
 * compiled in workerd, see STACK.md §10) and one import per language and theme, so only these ship.
 *
 * Why classes instead of shiki's inline styles: the portal's CSP has `style-src 'self'`, so `style=""` attributes
 * would be ignored, and the sanitizer refuses them anyway (CSS is an injection vector). Each token gets
 * `t-l-<light color> t-d-<dark color>` and the reader loads highlightCss() once, built from the same themes.
 */
import { createHighlighterCoreSync, type HighlighterCore } from "shiki/core";
import { createJavaScriptRegexEngine } from "shiki/engine/javascript";
import bash from "shiki/langs/bash.mjs";
import css from "shiki/langs/css.mjs";
import diff from "shiki/langs/diff.mjs";
import docker from "shiki/langs/docker.mjs";
import go from "shiki/langs/go.mjs";
import html from "shiki/langs/html.mjs";
import java from "shiki/langs/java.mjs";
import javascript from "shiki/langs/javascript.mjs";
import json from "shiki/langs/json.mjs";
import kotlin from "shiki/langs/kotlin.mjs";
import python from "shiki/langs/python.mjs";
import sql from "shiki/langs/sql.mjs";
import toml from "shiki/langs/toml.mjs";
import typescript from "shiki/langs/typescript.mjs";
import yaml from "shiki/langs/yaml.mjs";
import githubDark from "shiki/themes/github-dark.mjs";
import githubLight from "shiki/themes/github-light.mjs";

const LIGHT = "github-light";
const DARK = "github-dark";

const ALIASES: Record<string, string> = {
  sh: "bash", shell: "bash", shellscript: "bash", zsh: "bash", console: "bash",
  dockerfile: "docker", golang: "go", js: "javascript", mjs: "javascript", cjs: "javascript", jsx: "javascript",
  ts: "typescript", tsx: "typescript", mts: "typescript", py: "python", kt: "kotlin", kts: "kotlin", yml: "yaml",
  jsonc: "json", json5: "json", patch: "diff", htm: "html",
};

let highlighter: HighlighterCore | undefined;

function get(): HighlighterCore {
  highlighter ??= createHighlighterCoreSync({
    themes: [githubLight, githubDark],
    langs: [bash, css, diff, docker, go, html, java, javascript, json, kotlin, python, sql, toml, typescript, yaml],
    engine: createJavaScriptRegexEngine(),
  });
  return highlighter;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const colorClass = (prefix: string, color: string | undefined) => (color ? `${prefix}${color.replace(/^#/, "").toLowerCase()}` : "");

/** Past this, a block is shown plain: highlighting cost grows with size and a huge block is rarely read. */
export const MAX_HIGHLIGHT_CHARS = 50_000;

export function languageOf(lang: string | undefined): string | null {
  const l = (lang ?? "").trim().split(/\s+/)[0]!.toLowerCase();
  if (!l) return null;
  const name = ALIASES[l] ?? l;
  return get().getLoadedLanguages().includes(name) ? name : null;
}

/** `<pre class="code"><code>` with highlighted tokens, or escaped plain text for unknown languages. */
export function highlightCode(code: string, lang: string | undefined): string {
  const language = code.length <= MAX_HIGHLIGHT_CHARS ? languageOf(lang) : null;
  const label = (lang ?? "").trim().split(/\s+/)[0]!.toLowerCase().replace(/[^a-z0-9+#-]/g, "");
  const langClass = label ? ` language-${label}` : "";
  if (!language) return `<pre class="code${langClass}"><code>${escapeHtml(code)}</code></pre>\n`;
  const lines = get().codeToTokensWithThemes(code, { lang: language, themes: { light: LIGHT, dark: DARK } });
  const body = lines
    .map((line) =>
      line
        .map((t) => {
          const l = t.variants.light, d = t.variants.dark;
          const style = l?.fontStyle ?? 0;
          const cls = [colorClass("t-l-", l?.color), colorClass("t-d-", d?.color), style & 1 ? "t-i" : "", style & 2 ? "t-b" : ""].filter(Boolean).join(" ");
          return cls ? `<span class="${cls}">${escapeHtml(t.content)}</span>` : escapeHtml(t.content);
        })
        .join(""),
    )
    .join("\n");
  return `<pre class="code highlighted${langClass}"><code>${body}</code></pre>\n`;
}

let cssCache: string | undefined;

/** The stylesheet for the token classes: light colors by default, dark ones under `[data-theme="dark"]`. */
export function highlightCss(): string {
  if (cssCache) return cssCache;
  const h = get();
  const colors = (name: string) => {
    const theme = h.getTheme(name);
    const set = new Set<string>();
    if (theme.fg) set.add(theme.fg);
    for (const s of theme.settings ?? []) if (s.settings?.foreground) set.add(s.settings.foreground);
    return [...set].map((c) => c.replace(/^#/, "").toLowerCase()).filter((c) => /^[0-9a-f]{3,8}$/.test(c));
  };
  const rules = [
    ...colors(LIGHT).map((c) => `.techdocs-content .t-l-${c}{color:#${c}}`),
    ...colors(DARK).map((c) => `[data-theme="dark"] .techdocs-content .t-d-${c}{color:#${c}}`),
    ".techdocs-content .t-i{font-style:italic}",
    ".techdocs-content .t-b{font-weight:600}",
  ];
  cssCache = `${rules.join("\n")}\n`;
  return cssCache;
}
