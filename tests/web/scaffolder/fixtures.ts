/** Template fixtures (tests/fixtures/scaffolder-web/templates) loaded as parsed YAML. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";

const DIR = join(process.cwd(), "tests/fixtures/scaffolder-web/templates");

export interface TemplateFixture {
  metadata: { name: string; title?: string };
  spec: { parameters?: unknown; steps?: unknown[] };
}

export function loadTemplate(name: string): TemplateFixture {
  return load(readFileSync(join(DIR, `${name}.yaml`), "utf8")) as TemplateFixture;
}

export function templateNames(): string[] {
  return readdirSync(DIR).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5)).sort();
}
