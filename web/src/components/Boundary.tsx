/** Suspense + ErrorBoundary for one part of a page, so a slow or failing card never blanks the rest. */
import { ErrorBoundary, type JSX, Suspense } from "solid-js";
import { ErrorState } from "./ErrorState";
import { SkeletonLines } from "./Skeleton";

export function Boundary(props: { children: JSX.Element; fallback?: JSX.Element; onRetry?: () => void }): JSX.Element {
  return (
    <ErrorBoundary
      fallback={(err, reset) => (
        <ErrorState
          compact
          error={err}
          onRetry={() => {
            props.onRetry?.();
            reset();
          }}
        />
      )}
    >
      <Suspense fallback={props.fallback ?? <SkeletonLines lines={3} />}>{props.children}</Suspense>
    </ErrorBoundary>
  );
}
