/** Anchors inside a definition view: stable ids and a jump that opens the target `<details>` first. */

export function anchorId(prefix: string, name: string): string {
  return `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

export function jumpTo(id: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  for (let p: HTMLElement | null = el; p; p = p.parentElement) if (p instanceof HTMLDetailsElement) p.open = true;
  el.scrollIntoView({ behavior: "smooth", block: "start" });
  const focusable = el.querySelector("summary") ?? el;
  (focusable as HTMLElement).focus({ preventScroll: true });
}

/** An in-page link that jumps without touching the router's URL. */
export function jumpHandler(id: string): (e: MouseEvent) => void {
  return (e) => {
    e.preventDefault();
    jumpTo(id);
  };
}
