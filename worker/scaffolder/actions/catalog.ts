/**
 * catalog:register, catalog:write and catalog:fetch. Registering reads and validates the file first (the
 * dry run POST /locations?dryRun=true does), so a file that does not parse or validate fails the step and
 * nothing is registered; then the location is created (or, when the push of a just-published repository
 * got there first, found) and read in the background like any other.
 */
import { dump } from "js-yaml";
import { ApiError } from "../../errors";
import { dryRunLocation } from "../../catalog/dry-run";
import { parseEntityRef, stringifyEntityRef } from "../../catalog/entity-ref";
import { createLocation, findLocationByKey, locationKeyOf } from "../../catalog/store/locations";
import { getEntityJsonByRef } from "../../catalog/store/read";
import { createCatalogUrlReader } from "../../catalog/url-reader";
import { enqueue } from "../../jobs/enqueue";
import { bool, isObject, str, strList } from "./inputs";
import type { TemplateAction } from "./types";

function catalogInfoUrlOf(id: string, input: Record<string, unknown>): string {
  const direct = str(id, input, "catalogInfoUrl");
  if (direct) return direct;
  const contents = str(id, input, "repoContentsUrl");
  if (!contents) throw new ApiError("InputError", `Invalid input passed to action ${id}: 'catalogInfoUrl' or 'repoContentsUrl' is required`);
  const path = (str(id, input, "catalogInfoPath") ?? "/catalog-info.yaml").replace(/^\/+/, "");
  return `${contents.replace(/\/+$/, "")}/${path}`;
}

export const catalogRegister: TemplateAction = {
  id: "catalog:register",
  description: "Registers a catalog-info.yaml URL as a location in the catalog (after reading and validating it).",
  schema: {
    input: {
      type: "object",
      properties: { catalogInfoUrl: { type: "string" }, repoContentsUrl: { type: "string" }, catalogInfoPath: { type: "string" }, optional: { type: "boolean" } },
    },
    output: { type: "object", properties: { entityRef: { type: "string" }, catalogInfoUrl: { type: "string" } } },
  },
  dryRun(ctx) {
    const url = catalogInfoUrlOf(this.id, ctx.input);
    ctx.log(`Dry run: would register ${url}`);
    ctx.output("catalogInfoUrl", url);
  },
  async handler(ctx) {
    const url = catalogInfoUrlOf(this.id, ctx.input);
    const optional = bool(this.id, ctx.input, "optional", false);
    const spec = { type: "url", target: url };
    let preview;
    try {
      preview = await dryRunLocation(ctx.env.DB, spec, createCatalogUrlReader(ctx.env, spec));
    } catch (err) {
      if (optional) {
        ctx.log(`Not registering ${url}: ${(err as Error).message}`);
        return;
      }
      throw new ApiError("InputError", `catalog:register: ${url} cannot be registered: ${(err as Error).message}`);
    }
    const key = locationKeyOf(spec);
    if (await findLocationByKey(ctx.env.DB, key)) {
      ctx.log(`${url} is registered already (its push was indexed); refreshing it`);
    } else {
      try {
        await createLocation(ctx.env.DB, spec);
        ctx.log(`Registered ${url}`);
      } catch (err) {
        // The push webhook's job may register the same file between the check and the insert.
        if (!(err instanceof ApiError && err.name === "ConflictError")) throw err;
      }
    }
    await enqueue(ctx.env, { type: "refresh-location", locationKey: key });
    const entity = preview.entities.find((e) => e.kind !== "Location") ?? preview.entities[preview.entities.length - 1];
    if (entity) ctx.output("entityRef", stringifyEntityRef(entity));
    ctx.output("catalogInfoUrl", url);
  },
};

export const catalogWrite: TemplateAction = {
  id: "catalog:write",
  description: "Writes an entity as YAML into the workspace (catalog-info.yaml unless filePath says otherwise).",
  supportsDryRun: true,
  schema: { input: { type: "object", required: ["entity"], properties: { filePath: { type: "string" }, entity: { type: "object" } } } },
  async handler(ctx) {
    const path = str(this.id, ctx.input, "filePath") ?? "catalog-info.yaml";
    if (!isObject(ctx.input.entity)) throw new ApiError("InputError", "Invalid input passed to action catalog:write: 'entity' must be an object");
    ctx.workspace.write(path, dump(JSON.parse(JSON.stringify(ctx.input.entity)), { lineWidth: -1, noRefs: true }));
    ctx.log(`Wrote ${path}`);
  },
};

export const catalogFetch: TemplateAction = {
  id: "catalog:fetch",
  description: "Reads entities from the catalog by ref (entityRef, or entityRefs for several).",
  supportsDryRun: true,
  schema: {
    input: {
      type: "object",
      properties: { entityRef: { type: "string" }, entityRefs: { type: "array", items: { type: "string" } }, optional: { type: "boolean" }, defaultKind: { type: "string" }, defaultNamespace: { type: "string" } },
    },
    output: { type: "object", properties: { entity: { type: "object" }, entities: { type: "array" } } },
  },
  async handler(ctx) {
    const id = this.id;
    const single = str(id, ctx.input, "entityRef");
    const many = strList(id, ctx.input, "entityRefs");
    if (!single && !many.length) throw new ApiError("InputError", `Invalid input passed to action ${id}: 'entityRef' or 'entityRefs' is required`);
    const optional = bool(id, ctx.input, "optional", false);
    const context = { defaultKind: str(id, ctx.input, "defaultKind"), defaultNamespace: str(id, ctx.input, "defaultNamespace") };
    const read = async (raw: string) => {
      let ref: string;
      try {
        ref = stringifyEntityRef(parseEntityRef(raw, context));
      } catch (err) {
        throw new ApiError("InputError", `${id}: ${(err as Error).message}`);
      }
      const json = await getEntityJsonByRef(ctx.env.DB, ref);
      if (!json && !optional) throw new ApiError("NotFoundError", `${id}: entity ${ref} not found`);
      return json ? JSON.parse(json) : null;
    };
    if (single) ctx.output("entity", await read(single));
    if (many.length) {
      const out = [];
      for (const r of many) out.push(await read(r));
      ctx.output("entities", out);
    }
  },
};
