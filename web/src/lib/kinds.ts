/** Kind display order and colour classes (colours themselves live in styles/tokens.css as --kind-*). */

export const KIND_ORDER = ["component", "api", "system", "domain", "resource", "group", "user", "template", "location"];

const KNOWN = new Set(KIND_ORDER);

/** CSS class suffix for a kind: known kinds get their own colour, anything else the neutral one. */
export function kindClass(kind: string | undefined): string {
  const k = (kind ?? "").toLowerCase();
  return KNOWN.has(k) ? k : "other";
}

export function kindLabel(kind: string | undefined): string {
  const k = (kind ?? "").toLowerCase();
  if (k === "api") return "API";
  return k ? k[0]!.toUpperCase() + k.slice(1) : "Unknown";
}

export function pluralKind(kind: string): string {
  const label = kindLabel(kind);
  return label === "API" ? "APIs" : label.endsWith("s") ? label : `${label}s`;
}

export function compareKinds(a: string, b: string): number {
  const ia = KIND_ORDER.indexOf(a.toLowerCase());
  const ib = KIND_ORDER.indexOf(b.toLowerCase());
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
}
