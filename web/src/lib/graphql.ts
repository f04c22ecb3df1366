/** GraphQL SDL → a type index and highlight tokens for the API viewer. A tolerant scanner, not a parser. */

export interface SdlDefinition {
  keyword: string;
  name: string;
  /** 1-based line where the definition starts. */
  line: number;
}

export interface SdlToken {
  kind: "comment" | "string" | "keyword" | "type" | "field" | "punct" | "text" | "directive";
  text: string;
}

const DEFINITION = /^(?:extend\s+)?(type|interface|enum|input|union|scalar|schema|directive)\b\s*@?([_A-Za-z][_0-9A-Za-z]*)?/;

export function extractSdlDefinitions(sdl: string): SdlDefinition[] {
  const out: SdlDefinition[] = [];
  const lines = sdl.split("\n");
  let inBlockString = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const quotes = (line.match(/"""/g) ?? []).length;
    if (inBlockString) {
      if (quotes % 2 === 1) inBlockString = false;
      continue;
    }
    if (quotes % 2 === 1) {
      inBlockString = true;
      continue;
    }
    const m = DEFINITION.exec(line.trimStart());
    if (m && line.length - line.trimStart().length === 0) out.push({ keyword: m[1]!, name: m[2] ?? m[1]!, line: i + 1 });
  }
  return out;
}

const KEYWORDS = new Set(["type", "interface", "enum", "input", "union", "scalar", "schema", "directive", "extend", "implements", "query", "mutation", "subscription", "on", "fragment", "repeatable"]);
const TOKEN = /("""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*")|(#[^\n]*)|(@[_A-Za-z][_0-9A-Za-z]*)|([_A-Za-z][_0-9A-Za-z]*)|([{}()[\]:=|!&,]+)|(\s+)|(.)/g;

/** Splits SDL into tokens; a capitalised name is a type, a name followed by `(` or `:` is a field. */
export function tokenizeSdl(sdl: string): SdlToken[] {
  const tokens: SdlToken[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(sdl))) {
    const [text, string, comment, directive, name, punct] = m;
    if (string) tokens.push({ kind: "string", text });
    else if (comment) tokens.push({ kind: "comment", text });
    else if (directive) tokens.push({ kind: "directive", text });
    else if (name) {
      const rest = sdl.slice(TOKEN.lastIndex).match(/^\s*([(:])/);
      if (KEYWORDS.has(name)) tokens.push({ kind: "keyword", text });
      else if (rest) tokens.push({ kind: "field", text });
      else if (/^[A-Z]/.test(name)) tokens.push({ kind: "type", text });
      else tokens.push({ kind: "text", text });
    } else if (punct) tokens.push({ kind: "punct", text });
    else tokens.push({ kind: "text", text });
  }
  // Merge neighbouring plain text so the DOM stays small.
  const merged: SdlToken[] = [];
  for (const t of tokens) {
    const last = merged[merged.length - 1];
    if (last && last.kind === t.kind && (t.kind === "text" || t.kind === "punct")) last.text += t.text;
    else merged.push({ ...t });
  }
  return merged;
}
