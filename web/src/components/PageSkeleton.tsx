/** Route-level fallback: a page header and a few cards, announced as loading. */
import type { JSX } from "solid-js";
import { Skeleton, SkeletonLines } from "./Skeleton";

export function PageSkeleton(props: { label?: string }): JSX.Element {
  return (
    <div class="page" role="status" aria-live="polite" aria-busy="true">
      <span class="visually-hidden">{props.label ?? "Loading…"}</span>
      <div class="page-header">
        <Skeleton width="14rem" height="1.9rem" />
        <Skeleton width="22rem" height="1rem" />
      </div>
      <div class="card-grid">
        <div class="card">
          <SkeletonLines lines={4} />
        </div>
        <div class="card">
          <SkeletonLines lines={3} />
        </div>
      </div>
    </div>
  );
}
