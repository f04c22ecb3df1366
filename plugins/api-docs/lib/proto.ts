/**
 * Protocol Buffers (proto2/proto3/editions) → services with their rpcs, messages (nested ones flattened
 * as `Outer.Inner`) with fields, and enums, each with its doc comment. A tolerant lexer and parser:
 * linear, every step consumes a token, nesting bounded, unreadable statements skipped and reported.
 */

export interface ProtoField {
  name: string;
  type: string;
  number?: string;
  /** `repeated`, `optional`, `required`, or `map` for `map<K, V>`. */
  label?: string;
  /** The `oneof` group the field belongs to. */
  oneof?: string;
  description?: string;
}

export interface ProtoMessage {
  name: string;
  description?: string;
  fields: ProtoField[];
  line: number;
}

export interface ProtoEnum {
  name: string;
  description?: string;
  values: { name: string; number: string; description?: string }[];
  line: number;
}

export interface ProtoRpc {
  name: string;
  request: string;
  requestStream: boolean;
  response: string;
  responseStream: boolean;
  description?: string;
}

export interface ProtoService {
  name: string;
  description?: string;
  rpcs: ProtoRpc[];
  line: number;
}

export interface ProtoFile {
  syntax?: string;
  package?: string;
  imports: string[];
  options: { name: string; value: string }[];
  services: ProtoService[];
  messages: ProtoMessage[];
  enums: ProtoEnum[];
  errors: string[];
}

interface Tok {
  kind: "name" | "string" | "number" | "punct";
  text: string;
  line: number;
  /** Doc comment directly above (no blank line between). */
  leading?: string;
}

const MAX_TOKENS = 1_000_000;
const MAX_NESTING = 32;

function cleanComment(raw: string): string {
  if (raw.startsWith("/*")) {
    return raw
      .slice(2, raw.endsWith("*/") ? -2 : undefined)
      .split("\n")
      .map((l) => l.replace(/^\s*\*?\s?/, ""))
      .join("\n")
      .trim();
  }
  return raw.replace(/^\/\/\/?\s?/, "");
}

function lex(src: string): { toks: Tok[]; trailing: Map<number, string> } {
  const toks: Tok[] = [];
  const trailing = new Map<number, string>();
  let i = 0;
  let line = 1;
  const n = src.length;
  let pending: { text: string[]; endLine: number } | undefined;
  let lastTokLine = 0;
  while (i < n && toks.length < MAX_TOKENS) {
    const c = src[i]!;
    if (c === "\n") {
      line++;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v" || c === "\ufeff") {
      i++;
      continue;
    }
    if (c === "/" && (src[i + 1] === "/" || src[i + 1] === "*")) {
      const start = i;
      const startLine = line;
      if (src[i + 1] === "/") {
        while (i < n && src[i] !== "\n") i++;
      } else {
        const end = src.indexOf("*/", i + 2);
        const stop = end === -1 ? n : end + 2;
        for (let k = i; k < stop; k++) if (src[k] === "\n") line++;
        i = stop;
      }
      const text = cleanComment(src.slice(start, i));
      if (startLine === lastTokLine) {
        trailing.set(startLine, text);
        continue;
      }
      if (pending && pending.endLine >= startLine - 1) pending.text.push(text);
      else pending = { text: [text], endLine: line };
      pending.endLine = line;
      continue;
    }
    const startLine = line;
    let text: string;
    let kind: Tok["kind"];
    if (c === '"' || c === "'") {
      const start = i++;
      while (i < n && src[i] !== c && src[i] !== "\n") i += src[i] === "\\" ? 2 : 1;
      i = Math.min(n, i + 1);
      text = src.slice(start, i);
      kind = "string";
    } else if (/[A-Za-z_.]/.test(c) && !(c === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      const start = i;
      while (i < n && /[A-Za-z0-9_.]/.test(src[i]!)) i++;
      text = src.slice(start, i);
      kind = "name";
    } else if (/[0-9.+-]/.test(c)) {
      const start = i++;
      while (i < n && /[0-9A-Za-z.+-]/.test(src[i]!) && !(src[i] === "-" && !/[eE]/.test(src[i - 1]!))) i++;
      text = src.slice(start, i);
      kind = "number";
    } else {
      i++;
      text = c;
      kind = "punct";
    }
    const leading = pending && pending.endLine >= startLine - 1 ? pending.text.join("\n").trim() || undefined : undefined;
    pending = undefined;
    toks.push({ kind, text, line: startLine, leading });
    lastTokLine = line;
  }
  return { toks, trailing };
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") ? s.slice(1, -1) : s;
}

class Parser {
  i = 0;
  constructor(
    readonly toks: Tok[],
    readonly trailing: Map<number, string>,
  ) {}
  peek(o = 0): Tok | undefined {
    return this.toks[this.i + o];
  }
  next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new Error("unexpected end of file");
    return t;
  }
  at(text: string): boolean {
    return this.peek()?.text === text;
  }
  eat(text: string): boolean {
    if (this.at(text)) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(text: string): Tok {
    const t = this.peek();
    if (t?.text !== text) throw new Error(`expected "${text}"${t ? ` at line ${t.line}, found "${t.text}"` : " before the end"}`);
    this.i++;
    return t;
  }
  name(): Tok {
    const t = this.peek();
    if (!t || t.kind !== "name") throw new Error(`expected a name${t ? ` at line ${t.line}, found "${t.text}"` : " before the end"}`);
    this.i++;
    return t;
  }
  eof(): boolean {
    return this.i >= this.toks.length;
  }
  /** Skips a statement: to the next `;` at this level, or over one balanced `{...}` block. */
  skipStatement(): void {
    let depth = 0;
    while (!this.eof()) {
      const t = this.next();
      if (t.text === "{") depth++;
      else if (t.text === "}") {
        if (depth <= 1) return;
        depth--;
      } else if (t.text === ";" && depth === 0) return;
    }
  }
  /** `[ deprecated = true, (custom) = "x" ]` field options. */
  skipBracketOptions(): void {
    if (!this.eat("[")) return;
    let depth = 1;
    while (!this.eof() && depth > 0) {
      const t = this.next();
      if (t.text === "[") depth++;
      else if (t.text === "]") depth--;
    }
  }
  /** Option value up to `;` as text. */
  restOfStatement(): string {
    const parts: string[] = [];
    let depth = 0;
    while (!this.eof()) {
      const t = this.peek()!;
      if (t.text === ";" && depth === 0) break;
      if (t.text === "{") depth++;
      if (t.text === "}") {
        if (depth === 0) break;
        depth--;
      }
      parts.push(t.text);
      this.i++;
    }
    this.eat(";");
    return parts.join(" ");
  }
  trailingOf(line: number): string | undefined {
    return this.trailing.get(line);
  }
}

export function parseProto(src: string): ProtoFile {
  const { toks, trailing } = lex(src);
  const p = new Parser(toks, trailing);
  const file: ProtoFile = { imports: [], options: [], services: [], messages: [], enums: [], errors: [] };
  const fail = (err: unknown, line: number) => {
    if (file.errors.length < 50) file.errors.push(`line ${line}: ${err instanceof Error ? err.message : String(err)}`);
  };

  const parseEnum = (prefix: string, start: Tok) => {
    const name = p.name().text;
    const en: ProtoEnum = { name: prefix + name, description: start.leading, values: [], line: start.line };
    file.enums.push(en);
    p.expect("{");
    while (!p.eat("}")) {
      if (p.eof()) throw new Error('unclosed "{"');
      const t = p.peek()!;
      if (t.text === ";") {
        p.next();
        continue;
      }
      if (t.text === "option" || t.text === "reserved") {
        p.skipStatement();
        continue;
      }
      const before = p.i;
      try {
        const v = p.name();
        p.expect("=");
        const num = p.next().text;
        p.skipBracketOptions();
        const semi = p.expect(";");
        en.values.push({ name: v.text, number: num, description: v.leading ?? p.trailingOf(semi.line) });
      } catch (err) {
        fail(err, t.line);
        if (p.i === before) p.next();
        p.skipStatement();
      }
    }
  };

  const parseMessage = (prefix: string, start: Tok, depth: number) => {
    if (depth > MAX_NESTING) throw new Error("messages nested too deeply");
    const name = p.name().text;
    const full = prefix + name;
    const msg: ProtoMessage = { name: full, description: start.leading, fields: [], line: start.line };
    file.messages.push(msg);
    p.expect("{");
    const body = (oneof?: string) => {
      while (!p.eat("}")) {
        if (p.eof()) throw new Error('unclosed "{"');
        const t = p.peek()!;
        const before = p.i;
        try {
          if (t.text === ";") {
            p.next();
          } else if (t.text === "message") {
            p.next();
            parseMessage(`${full}.`, t, depth + 1);
          } else if (t.text === "enum") {
            p.next();
            parseEnum(`${full}.`, t);
          } else if (t.text === "oneof" && !oneof) {
            p.next();
            const group = p.name().text;
            p.expect("{");
            body(group);
          } else if (t.text === "option" || t.text === "reserved" || t.text === "extensions" || t.text === "extend") {
            p.skipStatement();
          } else {
            let label: string | undefined;
            let type: string;
            if (t.text === "repeated" || t.text === "optional" || t.text === "required") {
              label = p.next().text;
            }
            if (p.at("map") && p.peek(1)?.text === "<") {
              p.next();
              p.expect("<");
              const k = p.name().text;
              p.expect(",");
              const v = p.name().text;
              p.expect(">");
              type = `map<${k}, ${v}>`;
              label = "map";
            } else type = p.name().text;
            if (type === "group") {
              // proto2 groups: `group Name = 1 { ... }`; read as a nested message.
              const g = p.name();
              p.expect("=");
              const gnum = p.next().text;
              msg.fields.push({ name: g.text.toLowerCase(), type: `${full}.${g.text}`, number: gnum, label, oneof });
              p.skipStatement();
              continue;
            }
            const fname = p.name();
            p.expect("=");
            const num = p.next().text;
            p.skipBracketOptions();
            const semi = p.expect(";");
            msg.fields.push({ name: fname.text, type, number: num, label, oneof, description: t.leading ?? p.trailingOf(semi.line) });
          }
        } catch (err) {
          fail(err, t.line);
          if (p.i === before) p.next();
          p.skipStatement();
        }
      }
    };
    body();
  };

  const parseService = (start: Tok) => {
    const name = p.name().text;
    const svc: ProtoService = { name, description: start.leading, rpcs: [], line: start.line };
    file.services.push(svc);
    p.expect("{");
    while (!p.eat("}")) {
      if (p.eof()) throw new Error('unclosed "{"');
      const t = p.peek()!;
      const before = p.i;
      try {
        if (t.text === ";") p.next();
        else if (t.text === "rpc") {
          p.next();
          const rpcName = p.name().text;
          p.expect("(");
          const requestStream = p.peek()?.text === "stream" && p.peek(1)?.text !== ")";
          if (requestStream) p.next();
          const request = p.name().text;
          p.expect(")");
          if (p.name().text !== "returns") throw new Error(`expected "returns" in rpc ${rpcName}`);
          p.expect("(");
          const responseStream = p.peek()?.text === "stream" && p.peek(1)?.text !== ")";
          if (responseStream) p.next();
          const response = p.name().text;
          const close = p.expect(")");
          if (p.at("{")) p.skipStatement();
          else p.expect(";");
          svc.rpcs.push({ name: rpcName, request, requestStream, response, responseStream, description: t.leading ?? p.trailingOf(close.line) });
        } else p.skipStatement();
      } catch (err) {
        fail(err, t.line);
        if (p.i === before) p.next();
        p.skipStatement();
      }
    }
  };

  while (!p.eof()) {
    const t = p.peek()!;
    const before = p.i;
    try {
      if (t.text === ";") p.next();
      else if (t.text === "syntax" || t.text === "edition") {
        p.next();
        p.expect("=");
        file.syntax = unquote(p.next().text);
        p.eat(";");
      } else if (t.text === "package") {
        p.next();
        file.package = p.name().text;
        p.eat(";");
      } else if (t.text === "import") {
        p.next();
        if (p.at("public") || p.at("weak")) p.next();
        file.imports.push(unquote(p.next().text));
        p.eat(";");
      } else if (t.text === "option") {
        p.next();
        const parts: string[] = [];
        while (!p.eof() && !p.at("=")) parts.push(p.next().text);
        p.expect("=");
        file.options.push({ name: parts.join(""), value: unquote(p.restOfStatement()) });
      } else if (t.text === "message") {
        p.next();
        parseMessage("", t, 0);
      } else if (t.text === "enum") {
        p.next();
        parseEnum("", t);
      } else if (t.text === "service") {
        p.next();
        parseService(t);
      } else if (t.text === "extend") {
        p.skipStatement();
      } else {
        throw new Error(`unexpected "${t.text}"`);
      }
    } catch (err) {
      fail(err, t.line);
      if (p.i === before) p.next();
      p.skipStatement();
    }
  }
  return file;
}
