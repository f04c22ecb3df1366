/**
 * GraphQL SDL → types, root operations (queries, mutations, subscriptions) and descriptions, plus
 * highlight tokens for the source view. A tolerant single-pass lexer and recursive-descent parser:
 * linear in the input, every step consumes a token, nesting is bounded, and a malformed definition is
 * skipped (and reported) rather than failing the whole document.
 */

export interface GqlArg {
  name: string;
  type: string;
  description?: string;
  defaultValue?: string;
}

export interface GqlField {
  name: string;
  type: string;
  description?: string;
  args: GqlArg[];
  /** The `@deprecated` reason, or "" when deprecated without one. */
  deprecated?: string;
}

export type GqlKind = "type" | "interface" | "input" | "enum" | "union" | "scalar" | "directive";

export interface GqlType {
  kind: GqlKind;
  name: string;
  description?: string;
  /** Object, interface and input fields (input fields have no args). */
  fields: GqlField[];
  /** Enum values. */
  values: { name: string; description?: string; deprecated?: string }[];
  /** Union members. */
  members: string[];
  interfaces: string[];
  /** Directive locations (`FIELD_DEFINITION`, ...). */
  locations: string[];
  /** 1-based line of the (first) definition. */
  line: number;
}

export interface GqlSchema {
  description?: string;
  roots: { query?: string; mutation?: string; subscription?: string };
  types: GqlType[];
  queries: GqlField[];
  mutations: GqlField[];
  subscriptions: GqlField[];
  /** Definitions that could not be read, with their line. */
  errors: string[];
}

type TokKind = "name" | "punct" | "string" | "number" | "comment";

interface Tok {
  kind: TokKind;
  text: string;
  start: number;
  end: number;
  line: number;
}

const MAX_TOKENS = 1_000_000;

/** Splits SDL into tokens (comments included; commas and whitespace dropped). Linear and total. */
function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  while (i < n && toks.length < MAX_TOKENS) {
    const c = src.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 44 || c === 0xfeff) {
      i++;
      continue;
    }
    const start = i;
    const startLine = line;
    if (c === 35) {
      // # comment
      while (i < n && src.charCodeAt(i) !== 10) i++;
      toks.push({ kind: "comment", text: src.slice(start, i), start, end: i, line: startLine });
      continue;
    }
    if (c === 34) {
      if (src.startsWith('"""', i)) {
        i += 3;
        while (i < n && !src.startsWith('"""', i)) {
          if (src.charCodeAt(i) === 92 && src.startsWith('\\"""', i)) i += 4;
          else {
            if (src.charCodeAt(i) === 10) line++;
            i++;
          }
        }
        i = Math.min(n, i + 3);
      } else {
        i++;
        while (i < n) {
          const d = src.charCodeAt(i);
          if (d === 92) i += 2;
          else if (d === 34) {
            i++;
            break;
          } else if (d === 10) break;
          else i++;
        }
      }
      toks.push({ kind: "string", text: src.slice(start, Math.min(i, n)), start, end: Math.min(i, n), line: startLine });
      continue;
    }
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if ((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || (d >= 48 && d <= 57) || d === 95) i++;
        else break;
      }
      toks.push({ kind: "name", text: src.slice(start, i), start, end: i, line: startLine });
      continue;
    }
    if ((c >= 48 && c <= 57) || c === 45) {
      i++;
      while (i < n && /[0-9.eE+-]/.test(src[i]!)) i++;
      toks.push({ kind: "number", text: src.slice(start, i), start, end: i, line: startLine });
      continue;
    }
    if (src.startsWith("...", i)) {
      i += 3;
      toks.push({ kind: "punct", text: "...", start, end: i, line: startLine });
      continue;
    }
    i++;
    toks.push({ kind: "punct", text: src[start]!, start, end: i, line: startLine });
  }
  return toks;
}

/** The value of a GraphQL string token: block strings dedented (the spec's BlockStringValue, simplified). */
function stringValue(tok: string): string {
  if (tok.startsWith('"""')) {
    const body = tok.slice(3, tok.endsWith('"""') && tok.length >= 6 ? -3 : undefined).replace(/\\"""/g, '"""');
    const lines = body.split(/\r\n|\n|\r/);
    let indent = Infinity;
    for (const l of lines.slice(1)) {
      const m = /^[ \t]*/.exec(l)![0].length;
      if (m < l.length) indent = Math.min(indent, m);
    }
    const out = lines.map((l, i) => (i === 0 || indent === Infinity ? l : l.slice(indent)));
    while (out.length && !out[0]!.trim()) out.shift();
    while (out.length && !out[out.length - 1]!.trim()) out.pop();
    return out.join("\n");
  }
  const inner = tok.slice(1, tok.endsWith('"') && tok.length >= 2 ? -1 : undefined);
  return inner.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e[0] === "u") return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" } as Record<string, string>)[e] ?? e;
  });
}

const DEFINITION_KEYWORDS = new Set(["schema", "extend", "type", "interface", "input", "enum", "union", "scalar", "directive"]);

class Parser {
  i = 0;
  readonly toks: Tok[];
  constructor(src: string) {
    this.toks = lex(src).filter((t) => t.kind !== "comment");
  }
  peek(offset = 0): Tok | undefined {
    return this.toks[this.i + offset];
  }
  next(): Tok | undefined {
    return this.toks[this.i++];
  }
  at(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === "punct" && t.text === text;
  }
  eat(text: string): boolean {
    if (this.at(text)) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(text: string): void {
    if (!this.eat(text)) throw new Error(`expected "${text}"${this.peek() ? ` at line ${this.peek()!.line}, found "${this.peek()!.text}"` : " before the end"}`);
  }
  name(): string {
    const t = this.peek();
    if (!t || t.kind !== "name") throw new Error(`expected a name${t ? ` at line ${t.line}, found "${t.text}"` : " before the end"}`);
    this.i++;
    return t.text;
  }
  eof(): boolean {
    return this.i >= this.toks.length;
  }
  description(): string | undefined {
    const t = this.peek();
    if (t?.kind === "string") {
      this.i++;
      return stringValue(t.text);
    }
    return undefined;
  }
  /** `[Type!]!`, nesting bounded. */
  type(depth = 0): string {
    if (depth > 32) throw new Error("type nested too deeply");
    let out: string;
    if (this.eat("[")) {
      out = `[${this.type(depth + 1)}]`;
      this.expect("]");
    } else out = this.name();
    if (this.eat("!")) out += "!";
    return out;
  }
  /** A constant value as source text; lists and objects balanced, depth bounded. */
  value(depth = 0): string {
    if (depth > 32) throw new Error("value nested too deeply");
    const t = this.next();
    if (!t) throw new Error("expected a value before the end");
    if (t.kind === "punct" && (t.text === "[" || t.text === "{")) {
      const close = t.text === "[" ? "]" : "}";
      const parts: string[] = [];
      while (!this.at(close)) {
        if (this.eof()) throw new Error(`unclosed "${t.text}"`);
        if (close === "}") {
          const k = this.name();
          this.expect(":");
          parts.push(`${k}: ${this.value(depth + 1)}`);
        } else parts.push(this.value(depth + 1));
      }
      this.next();
      return `${t.text}${parts.join(", ")}${close}`;
    }
    if (t.kind === "punct" && t.text === "$") return `$${this.name()}`;
    return t.text;
  }
  /** Directives after a definition; returns the `@deprecated` reason if present. */
  directives(): string | undefined {
    let deprecated: string | undefined;
    while (this.eat("@")) {
      const name = this.name();
      let reason = "";
      if (this.eat("(")) {
        while (!this.eat(")")) {
          if (this.eof()) throw new Error('unclosed "("');
          const arg = this.name();
          this.expect(":");
          const v = this.value();
          if (arg === "reason" && v.startsWith('"')) reason = stringValue(v);
        }
      }
      if (name === "deprecated") deprecated = reason || "Deprecated";
    }
    return deprecated;
  }
  argumentDefs(): GqlArg[] {
    const args: GqlArg[] = [];
    if (!this.eat("(")) return args;
    while (!this.eat(")")) {
      if (this.eof()) throw new Error('unclosed "("');
      const description = this.description();
      const name = this.name();
      this.expect(":");
      const type = this.type();
      const defaultValue = this.eat("=") ? this.value() : undefined;
      this.directives();
      args.push({ name, type, description, defaultValue });
    }
    return args;
  }
  fields(allowArgs: boolean): GqlField[] {
    const fields: GqlField[] = [];
    if (!this.eat("{")) return fields;
    while (!this.eat("}")) {
      if (this.eof()) throw new Error('unclosed "{"');
      const description = this.description();
      const name = this.name();
      const args = allowArgs ? this.argumentDefs() : [];
      this.expect(":");
      const type = this.type();
      if (!allowArgs && this.eat("=")) this.value();
      const deprecated = this.directives();
      fields.push({ name, type, description, args, deprecated });
    }
    return fields;
  }
  /** Skips to the next token that can start a top-level definition (error recovery). */
  recover(from: number): void {
    if (this.i <= from) this.i = from + 1;
    let depth = 0;
    while (!this.eof()) {
      const t = this.peek()!;
      if (t.kind === "punct" && (t.text === "{" || t.text === "(" || t.text === "[")) depth++;
      else if (t.kind === "punct" && (t.text === "}" || t.text === ")" || t.text === "]")) depth = Math.max(0, depth - 1);
      else if (depth === 0 && (t.kind === "string" || (t.kind === "name" && DEFINITION_KEYWORDS.has(t.text)))) {
        // A name only starts a definition at the beginning of a line-ish position: accept it.
        return;
      }
      this.i++;
    }
  }
}

export function parseSdl(src: string): GqlSchema {
  const p = new Parser(src);
  const types = new Map<string, GqlType>();
  const errors: string[] = [];
  const roots: GqlSchema["roots"] = {};
  let schemaDescription: string | undefined;
  let firstDescription: string | undefined;
  let sawDefinition = false;

  const typeFor = (kind: GqlKind, name: string, line: number): GqlType => {
    let t = types.get(name);
    if (!t) {
      t = { kind, name, fields: [], values: [], members: [], interfaces: [], locations: [], line };
      types.set(name, t);
    }
    return t;
  };

  while (!p.eof()) {
    const start = p.i;
    const first = p.peek()!;
    try {
      const description = p.description();
      if (p.eof()) {
        if (!sawDefinition) firstDescription = description;
        break;
      }
      const kwTok = p.peek()!;
      let keyword = p.name();
      let extension = false;
      if (keyword === "extend") {
        extension = true;
        keyword = p.name();
      }
      if (keyword === "schema") {
        p.directives();
        p.expect("{");
        while (!p.eat("}")) {
          if (p.eof()) throw new Error('unclosed "{"');
          const op = p.name();
          p.expect(":");
          const target = p.name();
          if (op === "query" || op === "mutation" || op === "subscription") roots[op] = target;
        }
        schemaDescription = description ?? schemaDescription;
      } else if (keyword === "type" || keyword === "interface" || keyword === "input") {
        const name = p.name();
        const t = typeFor(keyword, name, kwTok.line);
        if (!extension || t.description === undefined) t.description = t.description ?? description;
        if (p.peek()?.text === "implements") {
          p.next();
          p.eat("&");
          t.interfaces.push(p.name());
          while (p.eat("&") || (p.peek()?.kind === "name" && !DEFINITION_KEYWORDS.has(p.peek()!.text) && p.peek(1)?.text !== ":")) t.interfaces.push(p.name());
        }
        p.directives();
        t.fields.push(...p.fields(keyword !== "input"));
      } else if (keyword === "enum") {
        const name = p.name();
        const t = typeFor("enum", name, kwTok.line);
        t.description = t.description ?? description;
        p.directives();
        if (p.eat("{")) {
          while (!p.eat("}")) {
            if (p.eof()) throw new Error('unclosed "{"');
            const d = p.description();
            const v = p.name();
            const deprecated = p.directives();
            t.values.push({ name: v, description: d, deprecated });
          }
        }
      } else if (keyword === "union") {
        const name = p.name();
        const t = typeFor("union", name, kwTok.line);
        t.description = t.description ?? description;
        p.directives();
        if (p.eat("=")) {
          p.eat("|");
          t.members.push(p.name());
          while (p.eat("|")) t.members.push(p.name());
        }
      } else if (keyword === "scalar") {
        const name = p.name();
        const t = typeFor("scalar", name, kwTok.line);
        t.description = t.description ?? description;
        p.directives();
      } else if (keyword === "directive") {
        p.expect("@");
        const name = p.name();
        const t = typeFor("directive", `@${name}`, kwTok.line);
        t.description = description;
        t.fields.push({ name: `@${name}`, type: "", args: p.argumentDefs() });
        if (p.peek()?.text === "repeatable") p.next();
        if (p.name() !== "on") throw new Error(`expected "on" in directive @${name}`);
        p.eat("|");
        t.locations.push(p.name());
        while (p.eat("|")) t.locations.push(p.name());
      } else {
        throw new Error(`unexpected "${keyword}"`);
      }
      sawDefinition = true;
    } catch (err) {
      if (errors.length < 50) errors.push(`line ${first.line}: ${err instanceof Error ? err.message : String(err)}`);
      p.recover(start);
    }
  }

  const list = [...types.values()];
  const rootName = (op: "query" | "mutation" | "subscription", fallback: string) => roots[op] ?? (types.get(fallback)?.kind === "type" ? fallback : undefined);
  const resolvedRoots = { query: rootName("query", "Query"), mutation: rootName("mutation", "Mutation"), subscription: rootName("subscription", "Subscription") };
  const rootFields = (name: string | undefined) => (name ? types.get(name)?.fields ?? [] : []);
  return {
    description: schemaDescription ?? firstDescription,
    roots: resolvedRoots,
    types: list,
    queries: rootFields(resolvedRoots.query),
    mutations: rootFields(resolvedRoots.mutation),
    subscriptions: rootFields(resolvedRoots.subscription),
    errors,
  };
}

export interface SdlToken {
  kind: "comment" | "string" | "keyword" | "type" | "field" | "punct" | "text" | "directive";
  text: string;
}

const KEYWORDS = new Set([...DEFINITION_KEYWORDS, "implements", "query", "mutation", "subscription", "on", "fragment", "repeatable"]);

/** Highlight tokens covering the whole source (whitespace kept as text). Linear. */
export function tokenizeSdl(src: string): SdlToken[] {
  const toks = lex(src);
  const out: SdlToken[] = [];
  let pos = 0;
  const push = (kind: SdlToken["kind"], text: string) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.kind === kind && (kind === "text" || kind === "punct")) last.text += text;
    else out.push({ kind, text });
  };
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    push("text", src.slice(pos, t.start));
    pos = t.end;
    if (t.kind === "comment") push("comment", t.text);
    else if (t.kind === "string") push("string", t.text);
    else if (t.kind === "name") {
      const prev = toks[k - 1];
      const after = toks[k + 1];
      const last = out[out.length - 1];
      if (prev?.kind === "punct" && prev.text === "@" && last?.kind === "punct" && last.text === "@") {
        out.pop();
        out.push({ kind: "directive", text: `@${t.text}` });
      } else if (KEYWORDS.has(t.text) && !(after?.kind === "punct" && (after.text === ":" || after.text === "("))) push("keyword", t.text);
      else if (after?.kind === "punct" && (after.text === "(" || after.text === ":")) push("field", t.text);
      else if (/^[A-Z]/.test(t.text)) push("type", t.text);
      else push("text", t.text);
    } else if (t.kind === "punct" && t.text === "@") out.push({ kind: "punct", text: "@" });
    else push(t.kind === "punct" ? "punct" : "text", t.text);
  }
  push("text", src.slice(pos));
  return out;
}
