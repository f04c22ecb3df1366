/**
 * Catalog file patterns: minimal globs over repo paths (`**` any depth including none, `*` within one
 * folder, `?` one character). A leading `/` anchors at the root, as in Backstage's `catalogPath`.
 */
const cache = new Map<string, RegExp>();

function toRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/^\/+/, "");
  let out = "";
  for (let i = 0; i < g.length; i++) {
    const ch = g[i];
    if (ch === "*" && g[i + 1] === "*") {
      // `**/` matches zero or more folders; a trailing `**` matches everything below.
      if (g[i + 2] === "/") {
        out += "(?:.*/)?";
        i += 2;
      } else {
        out += ".*";
        i += 1;
      }
    } else if (ch === "*") out += "[^/]*";
    else if (ch === "?") out += "[^/]";
    else out += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

export function parsePatterns(value: string | undefined | null): string[] {
  const list = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return list.length ? list : ["**/catalog-info.yaml", "**/catalog-info.yml"];
}

export function matchesCatalogPattern(path: string, patterns: readonly string[]): boolean {
  for (const p of patterns) {
    let re = cache.get(p);
    if (!re) cache.set(p, (re = toRegExp(p)));
    if (re.test(path)) return true;
  }
  return false;
}

/** Files a push may need to re-read although no pattern matches them: Location targets and placeholders. */
export function mayBeCatalogData(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path);
}
