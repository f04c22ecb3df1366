/**
 * `createAfterPaint()`: false until the browser has painted what the current render put on screen, then true.
 * A page shows its headline first and builds the rest one frame later, so the headline does not wait for
 * everything below it (an entity page's overview: cards, plugin slots, the graph, measured as about two thirds
 * of the page's first render). requestAnimationFrame runs before that frame's paint, so the flag flips in a
 * task queued from it, after the paint; a tab that paints nothing (hidden) gets there by a timer instead.
 */
import { type Accessor, createSignal, onCleanup } from "solid-js";

/** Longest wait for a frame (a background tab gets no animation frames). */
const MAX_WAIT_MS = 100;

export function createAfterPaint(): Accessor<boolean> {
  const raf = typeof requestAnimationFrame === "function" ? requestAnimationFrame : undefined;
  const [painted, setPainted] = createSignal(raf === undefined);
  if (raf === undefined) return painted;
  const timers: ReturnType<typeof setTimeout>[] = [];
  let frame: number | undefined;
  const done = () => {
    if (painted()) return;
    setPainted(true);
    if (frame !== undefined) cancelAnimationFrame(frame);
    timers.forEach(clearTimeout);
  };
  frame = raf(() => {
    frame = undefined;
    timers.push(setTimeout(done, 0));
  });
  timers.push(setTimeout(done, MAX_WAIT_MS));
  onCleanup(() => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    timers.forEach(clearTimeout);
  });
  return painted;
}
