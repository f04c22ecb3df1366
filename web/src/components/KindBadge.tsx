/** Coloured kind label (`Component`, `API`, ...). */
import type { JSX } from "solid-js";
import { kindClass, kindLabel } from "../lib/kinds";

export function KindBadge(props: { kind: string | undefined; size?: "sm" | "md" }): JSX.Element {
  return <span class={`kind-badge kind-${kindClass(props.kind)}${props.size === "sm" ? " kind-badge-sm" : ""}`}>{kindLabel(props.kind)}</span>;
}
