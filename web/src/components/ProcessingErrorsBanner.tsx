/**
 * Why the catalog could not (fully) process this entity: file, document, field, line and message. An error
 * recorded against this entity for another file is a Location target that could not be read.
 */
import { For, type JSX, Show } from "solid-js";
import { locationUrl } from "../lib/links";
import { relativeTime } from "../lib/time";
import type { ProcessingError, StatusItem } from "../../../contract/entity";
import { Icon } from "./Icon";

export function ProcessingErrorsBanner(props: { errors: ProcessingError[]; status?: StatusItem[]; entityRef?: string; locationKey?: string | null }): JSX.Element {
  // The status repeats the errors recorded against this entity; list each once.
  const listed = () => new Set(props.errors.map((e) => `${e.name}: ${e.message}`));
  const statusErrors = () => (props.status ?? []).filter((s) => s.level === "error" && !listed().has(s.message));
  const isTarget = (err: ProcessingError) => Boolean(props.entityRef) && err.entityRef === props.entityRef && err.location !== props.locationKey;
  const count = () => props.errors.length + statusErrors().length;
  return (
    <Show when={count() > 0}>
      <section class="banner banner-danger" role="alert" aria-labelledby="processing-errors-title" data-testid="processing-errors">
        <Icon name="alert" size={20} class="banner-icon" />
        <div class="banner-body">
          <h2 id="processing-errors-title" class="banner-title">
            {count() === 1 ? "1 processing error" : `${count()} processing errors`}: the catalog shows the last version that processed cleanly
          </h2>
          <ul class="banner-list">
            <For each={props.errors}>
              {(err) => (
                <li>
                  <Show when={isTarget(err)}>
                    Target{" "}
                    <Show when={locationUrl(err.location)} fallback={<code>{err.location}</code>}>
                      <a href={locationUrl(err.location)} target="_blank" rel="noreferrer">
                        {err.location.replace(/^url:/, "")}
                      </a>
                    </Show>{" "}
                    of this Location could not be read.{" "}
                  </Show>
                  <strong>{err.name}</strong>
                  <Show when={err.field}>
                    {" "}
                    in <code>{err.field}</code>
                  </Show>
                  : {err.message}
                  <span class="banner-meta">
                    <Show when={locationUrl(err.location)} fallback={<code>{err.location}</code>}>
                      <a href={locationUrl(err.location)} target="_blank" rel="noreferrer">
                        {err.location.replace(/^url:/, "")}
                      </a>
                    </Show>
                    <Show when={err.line}> · line {err.line}</Show>
                    <Show when={err.docIndex !== null && err.docIndex !== undefined}> · document {err.docIndex! + 1}</Show>
                    <Show when={err.createdAt}> · {relativeTime(err.createdAt)}</Show>
                  </span>
                </li>
              )}
            </For>
            <For each={statusErrors()}>
              {(s) => (
                <li>
                  <strong>{s.error?.name ?? s.type}</strong>: {s.error?.message ?? s.message}
                </li>
              )}
            </For>
          </ul>
        </div>
      </section>
    </Show>
  );
}
