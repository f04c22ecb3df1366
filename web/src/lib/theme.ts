/**
 * Light/dark theme. index.html sets `data-theme` before first paint from localStorage (`edgestage.theme`)
 * or the OS preference; this module keeps the signal and the attribute in step.
 */
import { createRoot, createSignal } from "solid-js";

export type Theme = "light" | "dark";
const KEY = "edgestage.theme";

function initial(): Theme {
  const attr = document.documentElement.dataset.theme;
  if (attr === "light" || attr === "dark") return attr;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

const store = createRoot(() => createSignal<Theme>(initial()));

export const theme = store[0];

export function setTheme(t: Theme): void {
  store[1](t);
  document.documentElement.dataset.theme = t;
  document.querySelector('meta[name="color-scheme"]')?.setAttribute("content", t);
  try {
    localStorage.setItem(KEY, t);
  } catch {
    // Not persisted in private mode; the toggle still works.
  }
}

export function toggleTheme(): void {
  setTheme(theme() === "dark" ? "light" : "dark");
}
