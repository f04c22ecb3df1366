/** Renders a `createData` read: skeleton until the first value, an error with retry, then the content. */
import { type JSX, Match, Switch } from "solid-js";
import type { Data } from "../lib/create-data";
import { ErrorState } from "./ErrorState";
import { SkeletonLines } from "./Skeleton";

export function DataView<T>(props: { data: Data<T>; fallback?: JSX.Element; children: (value: T) => JSX.Element }): JSX.Element {
  return (
    <Switch fallback={props.fallback ?? <SkeletonLines lines={3} />}>
      <Match when={props.data.error()}>
        <ErrorState compact error={props.data.error()} onRetry={props.data.refetch} />
      </Match>
      <Match when={props.data.value() !== undefined}>{props.children(props.data.value() as T)}</Match>
    </Switch>
  );
}
