/** Starred entities, kept in localStorage (`edgestage.starred`) and shared across tabs. */
import { createRoot, createSignal } from "solid-js";

const KEY = "edgestage.starred";

/** Parses the stored list; anything unexpected yields an empty list. */
export function parseStarred(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? [...new Set(v.filter((x): x is string => typeof x === "string").map((x) => x.toLowerCase()))] : [];
  } catch {
    return [];
  }
}

function read(): string[] {
  try {
    return parseStarred(localStorage.getItem(KEY));
  } catch {
    return [];
  }
}

const store = createRoot(() => {
  const [starred, setStarred] = createSignal<string[]>(read());
  if (typeof window !== "undefined") {
    window.addEventListener("storage", (e) => {
      if (e.key === KEY) setStarred(parseStarred(e.newValue));
    });
  }
  return { starred, setStarred };
});

export const starredRefs = store.starred;

export function isStarred(ref: string): boolean {
  return store.starred().includes(ref.toLowerCase());
}

export function toggleStar(ref: string): void {
  const r = ref.toLowerCase();
  const cur = store.starred();
  const next = cur.includes(r) ? cur.filter((x) => x !== r) : [...cur, r];
  store.setStarred(next);
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Private mode or full storage: the star still works for this session.
  }
}
