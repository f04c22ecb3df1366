/** Template fixtures (tests/fixtures/scaffolder-web/templates) loaded as parsed YAML, through Vite's raw imports. */
import { load } from "js-yaml";

const FILES = import.meta.glob<string>("../../fixtures/scaffolder-web/templates/*.yaml", { query: "?raw", import: "default", eager: true });
const BY_NAME = new Map(Object.entries(FILES).map(([path, text]) => [path.replace(/^.*\//, "").replace(/\.yaml$/, ""), text]));

export interface TemplateFixture {
  metadata: { name: string; title?: string; description?: string; tags?: string[] };
  spec: { parameters?: unknown; steps?: unknown[]; owner?: string; type?: string };
}

export function loadTemplate(name: string): TemplateFixture {
  const text = BY_NAME.get(name);
  if (text === undefined) throw new Error(`no template fixture ${name}`);
  return load(text) as TemplateFixture;
}

export function templateNames(): string[] {
  return [...BY_NAME.keys()].sort();
}
