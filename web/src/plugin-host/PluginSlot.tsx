/**
 * <PluginSlot>: one plugin component in its own boundary. Its chunk loads on first render (a skeleton meanwhile,
 * in the slot's own Suspense, so neither the chunk nor the component's own data suspends the page), and a chunk
 * that fails to load, a module without a component, or a component that throws while rendering shows an error
 * card in the slot (plugin title, message, Try again) while the rest of the page keeps working.
 */
import { createResource, ErrorBoundary, type JSX, Show, Suspense } from "solid-js";
import { Dynamic } from "solid-js/web";
import type { WebPlugin } from "../../../contract/plugin-web";
import { Icon } from "../components/Icon";
import { SkeletonLines } from "../components/Skeleton";
import type { SlotLoader } from "./slots";
import { loadComponent, loadedComponent } from "./slot-cache";

function SlotContent<P extends Record<string, any>>(props: { load: SlotLoader<P>; props: P }): JSX.Element {
  // Already loaded (a second visit): render at once, without a skeleton frame. A slot's loader never changes.
  const cached = loadedComponent(props.load);
  if (cached) return <Dynamic component={cached} {...props.props} />;
  const [component] = createResource(() => props.load, loadComponent);
  return <Show when={component()}>{(c) => <Dynamic component={c()} {...props.props} />}</Show>;
}

function messageOf(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return typeof err === "string" && err ? err : "Unknown error";
}

export function PluginErrorCard(props: { plugin: WebPlugin; slotTitle: string; error: unknown; onRetry: () => void }): JSX.Element {
  return (
    <div class="error-state error-state-compact plugin-error" role="alert" data-testid="plugin-error" data-plugin={props.plugin.manifest.id}>
      <Icon name="alert" size={18} class="error-state-icon" />
      <div class="error-state-body">
        <p class="error-state-title">
          {props.slotTitle} could not be shown
        </p>
        <p class="error-state-message">{messageOf(props.error)}</p>
        <p class="error-state-detail">
          Plugin {props.plugin.manifest.title} {props.plugin.manifest.version}
        </p>
        <button type="button" class="button button-secondary" onClick={() => props.onRetry()}>
          Try again
        </button>
      </div>
    </div>
  );
}

export function PluginSlot<P extends Record<string, any>>(props: {
  plugin: WebPlugin;
  /** What the slot is called where it shows (a page, tab or card title). */
  title: string;
  load: SlotLoader<P>;
  props: P;
  /** Shown while the chunk (or the component's own data) loads. */
  fallback?: JSX.Element;
}): JSX.Element {
  return (
    <div class="plugin-slot" data-plugin={props.plugin.manifest.id}>
      <ErrorBoundary fallback={(err, reset) => <PluginErrorCard plugin={props.plugin} slotTitle={props.title} error={err} onRetry={reset} />}>
        <Suspense
          fallback={
            props.fallback ?? (
              <div role="status" aria-busy="true" class="plugin-slot-loading">
                <span class="visually-hidden">Loading {props.title}…</span>
                <SkeletonLines lines={3} />
              </div>
            )
          }
        >
          <SlotContent load={props.load} props={props.props} />
        </Suspense>
      </ErrorBoundary>
    </div>
  );
}
