/**
 * Why the catalog could not (fully) process this entity: file, document, field, line and message. An error
 * recorded against this entity for another file is a Location target that could not be read. Problems a
 * plugin recorded (a docs build that failed) are listed with them, named as that plugin's.
 */
import { For, type JSX, Show } from "solid-js";
import { locationUrl } from "../lib/links";
import { relativeTime } from "../lib/time";
import type { ProcessingError, StatusItem } from "../../../contract/entity";
import { Icon } from "./Icon";

export function ProcessingErrorsBanner(props: {
  errors: ProcessingError[];
  status?: StatusItem[];
  entityRef?: string;
  locationKey?: string | null;
  /** A plugin's display name by id (its manifest title); the id when not given. */
  pluginTitle?: (id: string) => string;
}): JSX.Element {
  // The status repeats the errors recorded against this entity; list each once.
  const listed = () => new Set(props.errors.map((e) => `${e.name}: ${e.message}`));
  const statusErrors = () => (props.status ?? []).filter((s) => s.level === "error" && !listed().has(s.message));
  const isTarget = (err: ProcessingError) => !err.plugin && Boolean(props.entityRef) && err.entityRef === props.entityRef && err.location !== props.locationKey;
  const count = () => props.errors.length + statusErrors().length;
  const titleOf = (id: string) => props.pluginTitle?.(id) ?? id;
  // Only the catalog's own errors mean it kept an older version; a plugin's problem leaves the entity as it is.
  const fromPlugins = () => [...new Set([...props.errors.map((e) => e.plugin), ...statusErrors().map((s) => s.plugin)])];
  const onlyPlugins = () => fromPlugins().every((p) => p !== undefined);
  return (
    <Show when={count() > 0}>
      <section class="banner banner-danger" role="alert" aria-labelledby="processing-errors-title" data-testid="processing-errors">
        <Icon name="alert" size={20} class="banner-icon" />
        <div class="banner-body">
          <h2 id="processing-errors-title" class="banner-title">
            {count() === 1 ? "1 processing error" : `${count()} processing errors`}
            {onlyPlugins() ? ` reported by ${fromPlugins().map((p) => titleOf(p!)).join(" and ")}` : ": the catalog shows the last version that processed cleanly"}
          </h2>
          <ul class="banner-list">
            <For each={props.errors}>
              {(err) => (
                <li data-source={err.plugin ? `plugin:${err.plugin}` : "catalog"}>
                  <Show when={err.plugin}>{(id) => <span class="banner-source">{titleOf(id())}</span>}</Show>
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
                    <Show when={!err.plugin} fallback={<>{titleOf(err.plugin!)} plugin</>}>
                      <Show when={locationUrl(err.location)} fallback={<code>{err.location}</code>}>
                        <a href={locationUrl(err.location)} target="_blank" rel="noreferrer">
                          {err.location.replace(/^url:/, "")}
                        </a>
                      </Show>
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
                <li data-source={s.plugin ? `plugin:${s.plugin}` : "catalog"}>
                  <Show when={s.plugin}>{(id) => <span class="banner-source">{titleOf(id())}</span>}</Show>
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
