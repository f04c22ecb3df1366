/** The database a catalog read runs on: the shard set when CATALOG_SHARDS configures one, else the read cache's choice. */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { readDb } from "./read-cache";
import { catalogShards, type CatalogDb } from "./store/shards";

export function catalogDb(c: Context<AppEnv>): CatalogDb {
  return catalogShards(c.env) ?? readDb(c);
}
