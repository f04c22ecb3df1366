/** Shimmering placeholders shown while data loads, shaped like what is coming. */
import { For, type JSX } from "solid-js";

export function Skeleton(props: { width?: string; height?: string; class?: string }): JSX.Element {
  return <span class={`skeleton${props.class ? ` ${props.class}` : ""}`} style={{ width: props.width ?? "100%", height: props.height ?? "1em" }} aria-hidden="true" />;
}

export function SkeletonLines(props: { lines?: number }): JSX.Element {
  const widths = ["92%", "76%", "84%", "60%", "88%", "70%"];
  return (
    <div class="skeleton-lines" aria-hidden="true">
      <For each={Array.from({ length: props.lines ?? 3 }, (_, i) => widths[i % widths.length])}>{(w) => <Skeleton width={w} />}</For>
    </div>
  );
}
