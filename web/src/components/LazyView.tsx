/**
 * A lazily loaded component that shows `fallback` while its chunk downloads, without Suspense (see
 * create-data.ts for why secondary content avoids Suspense). Each loader's promise is shared.
 */
import { type Component, createSignal, type JSX, onMount, Show } from "solid-js";
import { Dynamic } from "solid-js/web";
import { ErrorState } from "./ErrorState";

export function lazyView<P extends object>(load: () => Promise<{ default: Component<P> }>): Component<P & { fallback?: JSX.Element }> {
  let loaded: Component<P> | undefined;
  let pending: Promise<Component<P>> | undefined;
  const get = () => (pending ??= load().then((m) => (loaded = m.default)));
  return (props) => {
    const [comp, setComp] = createSignal<Component<P> | undefined>(loaded);
    const [error, setError] = createSignal<unknown>();
    onMount(() => {
      if (!loaded)
        get().then(
          (c) => setComp(() => c),
          (err: unknown) => {
            pending = undefined;
            setError(err);
          },
        );
    });
    return (
      <Show when={!error()} fallback={<ErrorState compact error={error()} onRetry={() => location.reload()} />}>
        <Show when={comp()} fallback={props.fallback}>
          {(c) => <Dynamic component={c()} {...(props as P)} />}
        </Show>
      </Show>
    );
  };
}
