/** Admin: queue messages that kept failing, with their last error; replay queues one again as it was. */
import { createSignal, For, type JSX, Show } from "solid-js";
import { type DeadLetter, listDeadLetters, replayDeadLetter } from "../../api/admin";
import { createData } from "../../lib/create-data";
import { exactTime, relativeTime } from "../../lib/time";
import { DataView } from "../DataView";
import { EmptyState } from "../EmptyState";
import { ErrorState } from "../ErrorState";

function DeadLetterRow(props: { letter: DeadLetter; onReplayed: () => void }): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const replay = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await replayDeadLetter(props.letter.id);
      props.onReplayed();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="dead-letter" data-testid="dead-letter">
      <div class="dead-letter-head">
        <code>{props.letter.type}</code>
        <span class="muted small">
          {props.letter.attempts} attempt{props.letter.attempts === 1 ? "" : "s"} · failed{" "}
          <time datetime={props.letter.createdAt} title={exactTime(props.letter.createdAt)}>{relativeTime(props.letter.createdAt)}</time>
          <Show when={props.letter.deliveryId}> · delivery <code>{props.letter.deliveryId}</code></Show>
        </span>
        <Show
          when={!props.letter.replayedAt}
          fallback={<span class="chip chip-muted" title={exactTime(props.letter.replayedAt)}>Replayed {relativeTime(props.letter.replayedAt)}</span>}
        >
          <button type="button" class="button button-secondary" disabled={busy()} onClick={replay}>
            {busy() ? "Replaying…" : "Replay"}
          </button>
        </Show>
      </div>
      <pre class="dead-letter-error">{props.letter.error}</pre>
      <details>
        <summary>Message</summary>
        <pre class="code-block">{JSON.stringify(props.letter.body, null, 2)}</pre>
      </details>
      <Show when={error()}>
        <ErrorState compact error={error()} />
      </Show>
    </li>
  );
}

export function DeadLettersPanel(): JSX.Element {
  const [pending, setPending] = createSignal(true);
  const letters = createData(() => ({ pending: pending() }), (q) => listDeadLetters(q.pending));
  return (
    <div class="admin-panel" data-testid="admin-dead-letters">
      <div class="segmented" role="group" aria-label="Show">
        <button type="button" aria-pressed={pending()} onClick={() => setPending(true)}>Not replayed</button>
        <button type="button" aria-pressed={!pending()} onClick={() => setPending(false)}>All</button>
      </div>
      <DataView data={letters}>
        {(items) => (
          <Show
            when={items.length > 0}
            fallback={<EmptyState compact icon="check" title={pending() ? "No dead letters waiting" : "No dead letters"}>Jobs that fail every retry land here with their last error.</EmptyState>}
          >
            <ul class="dead-letter-list">
              <For each={items}>{(l) => <DeadLetterRow letter={l} onReplayed={letters.refetch} />}</For>
            </ul>
          </Show>
        )}
      </DataView>
    </div>
  );
}
