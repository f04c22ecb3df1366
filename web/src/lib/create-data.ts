/**
 * A read that never suspends: `value()` is undefined until the first result, the previous value stays
 * while a new source loads, and stale results are dropped. Used for everything on a page that is not the
 * page's main subject, so a slow card can never hold back the rest of the page (Suspense inside a router
 * transition would wait for every card before showing anything).
 */
import { batch, createEffect, createSignal, on, onCleanup } from "solid-js";

export interface Data<T> {
  value: () => T | undefined;
  loading: () => boolean;
  error: () => unknown;
  refetch: () => void;
}

export function createData<S, T>(source: () => S | false | null | undefined, fetcher: (source: S) => Promise<T>): Data<T> {
  const [value, setValue] = createSignal<T | undefined>();
  const [loading, setLoading] = createSignal(true);
  const [error, setError] = createSignal<unknown>();
  const [tick, setTick] = createSignal(0);
  let current = 0;
  let alive = true;
  onCleanup(() => {
    alive = false;
  });

  createEffect(
    on([source, tick], ([s]) => {
      const id = ++current;
      if (s === false || s === null || s === undefined) {
        batch(() => {
          setLoading(false);
          setError(undefined);
        });
        return;
      }
      setLoading(true);
      fetcher(s).then(
        (v) => {
          if (!alive || id !== current) return;
          batch(() => {
            setValue(() => v);
            setError(undefined);
            setLoading(false);
          });
        },
        (err: unknown) => {
          if (!alive || id !== current) return;
          batch(() => {
            setError(err);
            setLoading(false);
          });
        },
      );
    }),
  );

  return { value, loading, error, refetch: () => setTick((t) => t + 1) };
}
