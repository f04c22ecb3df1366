/**
 * Human-readable times ("3 minutes ago") and exact local times for tooltips. Plain English without Intl,
 * whose first use loads ICU data and costs tens of milliseconds on the page's critical path.
 */

const UNITS: [string, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  for (const [unit, size] of UNITS) {
    if (abs >= size * 0.95 || unit === "minute") {
      const n = Math.max(1, Math.round(abs / size));
      if (unit === "day" && n === 1) return seconds < 0 ? "yesterday" : "tomorrow";
      const label = `${n} ${unit}${n === 1 ? "" : "s"}`;
      return seconds < 0 ? `${label} ago` : `in ${label}`;
    }
  }
  return iso;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `2026-11-25 14:03` in local time. */
export function exactTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : "";
}
