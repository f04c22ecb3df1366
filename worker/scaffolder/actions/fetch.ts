/**
 * fetch:plain, fetch:plain:file and fetch:template: copy a folder or file from the template's repository
 * (a relative `url` resolves against the template's own location) into the workspace; fetch:template
 * renders paths and contents with `${{ values.x }}`, except what `copyWithoutTemplating` matches, or only
 * files ending in `templateFileExtension`. Binary files are copied as they are.
 */
import { ApiError } from "../../errors";
import { renderTemplateString } from "../render/sandbox";
import { joinPath, normalizePath } from "../workspace";
import { checkReadable, parseGithubUrl, readGithubFile, readGithubFolder } from "../github";
import { bool, globToRegExp, isObject, str, strList, tokenInput, TOKEN_SCHEMA } from "./inputs";
import type { ActionContext, TemplateAction } from "./types";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Text when the bytes are UTF-8 without NULs, else null (a binary file). */
function asText(data: Uint8Array): string | null {
  if (data.includes(0)) return null;
  try {
    return strictUtf8.decode(data);
  } catch {
    return null;
  }
}

function isRelative(url: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(url);
}

/** The files under `url` (a folder), relative to it. */
async function readFolder(ctx: ActionContext, action: string, url: string): Promise<Map<string, Uint8Array>> {
  if (isRelative(url) && ctx.templateFiles) {
    const dir = normalizePath(url);
    const prefix = dir ? `${dir}/` : "";
    const out = new Map<string, Uint8Array>();
    for (const [p, data] of ctx.templateFiles) if (p.startsWith(prefix)) out.set(p.slice(prefix.length), data);
    if (!out.size) throw new ApiError("NotFoundError", `${action}: the template has no folder ${url}`);
    return out;
  }
  return readGithubFolder(ctx.env, resolveGithub(ctx, action, url), tokenInput(ctx.input));
}

async function readOne(ctx: ActionContext, action: string, url: string): Promise<Uint8Array> {
  if (isRelative(url) && ctx.templateFiles) {
    const data = ctx.templateFiles.get(normalizePath(url));
    if (!data) throw new ApiError("NotFoundError", `${action}: the template has no file ${url}`);
    return data;
  }
  return readGithubFile(ctx.env, resolveGithub(ctx, action, url), tokenInput(ctx.input));
}

function resolveGithub(ctx: ActionContext, action: string, url: string) {
  let absolute = url;
  if (isRelative(url)) {
    if (!ctx.templateInfo.baseUrl) {
      throw new ApiError("InputError", `${action}: relative url '${url}' needs a template registered from a URL (or a backstage.io/source-location annotation); this one came from a file location`);
    }
    absolute = new URL(url, ctx.templateInfo.baseUrl).toString();
  }
  const target = parseGithubUrl(ctx.env, absolute);
  checkReadable(ctx.env, target, ctx.templateInfo.baseUrl);
  return target;
}

export const fetchPlain: TemplateAction = {
  id: "fetch:plain",
  description: "Downloads a folder from a repository (relative to the template) into the workspace, as it is.",
  supportsDryRun: true,
  schema: { input: { type: "object", required: ["url"], properties: { url: { type: "string" }, targetPath: { type: "string" }, token: TOKEN_SCHEMA } } },
  async handler(ctx) {
    const url = str(this.id, ctx.input, "url", true);
    const target = str(this.id, ctx.input, "targetPath") ?? "./";
    ctx.log(`Fetching ${url}`);
    const files = await readFolder(ctx, this.id, url);
    for (const [p, data] of files) ctx.workspace.write(joinPath(target, p), data);
    ctx.log(`Fetched ${files.size} file(s) from ${url} into ${target}`);
  },
};

export const fetchPlainFile: TemplateAction = {
  id: "fetch:plain:file",
  description: "Downloads one file from a repository (relative to the template) into the workspace.",
  supportsDryRun: true,
  schema: { input: { type: "object", required: ["url", "targetPath"], properties: { url: { type: "string" }, targetPath: { type: "string" }, token: TOKEN_SCHEMA } } },
  async handler(ctx) {
    const url = str(this.id, ctx.input, "url", true);
    const target = str(this.id, ctx.input, "targetPath", true);
    ctx.workspace.write(normalizePath(target), await readOne(ctx, this.id, url));
    ctx.log(`Fetched ${url} into ${target}`);
  },
};

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A rendered path with an empty segment (`${{ 'x' if values.y }}` that came out empty) means "skip this file". */
const skipped = (p: string) => p === "" || p.endsWith("/") || p.split("/").some((s) => s === "");

export const fetchTemplate: TemplateAction = {
  id: "fetch:template",
  description: "Downloads a skeleton folder, renders its paths and contents with `values` (nunjucks, `${{ values.x }}`), and writes it to the workspace.",
  supportsDryRun: true,
  schema: {
    input: {
      type: "object",
      required: ["url"],
      properties: {
        url: { type: "string" },
        targetPath: { type: "string" },
        values: { type: "object" },
        copyWithoutRender: { type: "array", items: { type: "string" } },
        copyWithoutTemplating: { type: "array", items: { type: "string" } },
        templateFileExtension: { type: ["string", "boolean"] },
        cookiecutterCompat: { type: "boolean" },
        replace: { type: "boolean" },
        token: TOKEN_SCHEMA,
      },
    },
  },
  async handler(ctx) {
    const id = this.id;
    if (ctx.input.cookiecutterCompat === true) {
      throw new ApiError("InputError", "fetch:template: cookiecutterCompat is not supported here (Jinja2 compatibility mode); convert the skeleton to ${{ values.x }} syntax, or use fetch:cookiecutter's output rendered elsewhere");
    }
    const url = str(id, ctx.input, "url", true);
    const target = str(id, ctx.input, "targetPath") ?? "./";
    const values = ctx.input.values === undefined ? {} : ctx.input.values;
    if (!isObject(values)) throw new ApiError("InputError", `Invalid input passed to action ${id}: 'values' must be an object`);
    const plain = [...strList(id, ctx.input, "copyWithoutRender"), ...strList(id, ctx.input, "copyWithoutTemplating")].map(globToRegExp);
    if (ctx.input.copyWithoutRender !== undefined && ctx.input.copyWithoutTemplating !== undefined) {
      throw new ApiError("InputError", "fetch:template: copyWithoutRender and copyWithoutTemplating cannot be used together");
    }
    const extInput = ctx.input.templateFileExtension;
    const ext = extInput === true ? ".njk" : typeof extInput === "string" && extInput ? (extInput.startsWith(".") ? extInput : `.${extInput}`) : null;
    if (ext && plain.length) throw new ApiError("InputError", "fetch:template: templateFileExtension and copyWithoutTemplating cannot be used together");
    const replace = bool(id, ctx.input, "replace", false);
    const context = { values: JSON.parse(JSON.stringify(values)) };
    ctx.log(`Fetching template content from ${url}`);
    const files = await readFolder(ctx, id, url);
    ctx.log(`Processing ${files.size} template file(s) into ${target}`);
    let rendered = 0;
    let written = 0;
    for (const [path, data] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      // Rendering is synchronous work inside QuickJS: without a turn of the event loop between files, a big
      // skeleton holds the isolate's thread for seconds, and workerd, coming back, closes every keep-alive
      // connection whose idle timer ran out meanwhile, even those with a request already waiting ("other side
      // closed" for every client; scripts/bench/scaffolder-poll.mjs shows it). One render is bounded by the
      // sandbox's cycle budget, so this bounds each uninterrupted stretch.
      await yieldToEventLoop();
      let renderContents: boolean;
      let out = path;
      if (ext) {
        renderContents = path.endsWith(ext);
        if (renderContents) out = path.slice(0, -ext.length);
      } else {
        renderContents = !plain.some((re) => re.test(path));
      }
      // Paths are rendered unless copyWithoutTemplating covers them, as in Backstage.
      if (ext || renderContents) out = await renderTemplateString(out, context);
      if (skipped(out)) continue;
      const dest = joinPath(target, out);
      // Backstage keeps files already in the workspace unless `replace` says otherwise.
      if (!replace && ctx.workspace.read(dest)) continue;
      const text = renderContents ? asText(data) : null;
      if (text !== null) {
        ctx.workspace.write(dest, await renderTemplateString(text, context));
        rendered++;
      } else {
        ctx.workspace.write(dest, data);
      }
      written++;
    }
    ctx.log(`Rendered ${rendered} and copied ${written - rendered} file(s) from ${url} into ${target}`);
  },
};
