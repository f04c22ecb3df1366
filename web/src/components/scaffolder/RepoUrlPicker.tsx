/**
 * RepoUrlPicker: host, owner and repository name, stored as Backstage's `host?owner=o&repo=r`. Hosts come
 * from `allowedHosts` (a select; the first is preselected), owners from `allowedOwners` when given.
 */
import { createEffect, createSignal, For, type JSX, on, onMount, Show } from "solid-js";
import { parseRepoUrl, serializeRepoUrl, uiOptions, type RepoUrlParts } from "../../../../contract/template-params/api";
import { useForm } from "./form-context";
import type { ControlProps } from "./SchemaFields";

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.length > 0) : [];
}

export function RepoUrlPicker(p: ControlProps): JSX.Element {
  const form = useForm();
  const opts = () => uiOptions(p.model().ui);
  const hosts = () => list(opts().allowedHosts);
  const owners = () => list(opts().allowedOwners);
  const initial = (): Partial<RepoUrlParts> => parseRepoUrl(form.value(p.model().path)) ?? {};
  const [parts, setParts] = createSignal<Partial<RepoUrlParts>>(initial());
  const write = (next: Partial<RepoUrlParts>) => {
    setParts(next);
    form.setValue(p.model().path, serializeRepoUrl(next));
  };
  onMount(() => {
    const cur = parts();
    const host = cur.host ?? hosts()[0];
    const owner = cur.owner ?? (owners().length === 1 ? owners()[0] : undefined);
    if (host !== cur.host || owner !== cur.owner) write({ ...cur, ...(host ? { host } : {}), ...(owner ? { owner } : {}) });
  });
  // A value set from outside (formData) replaces what the inputs show.
  createEffect(
    on(
      () => form.value(p.model().path),
      (v) => {
        if (v !== serializeRepoUrl(parts())) setParts(parseRepoUrl(v) ?? {});
      },
      { defer: true },
    ),
  );
  const set = (k: keyof RepoUrlParts, v: string) => write({ ...parts(), [k]: v.trim() || undefined });
  return (
    <div class="form-repo" id={p.id} role="group" aria-labelledby={`${p.id}-label`} aria-describedby={p.describedBy || undefined}>
      <label class="form-subfield">
        <span class="form-sublabel">Host</span>
        <Show
          when={hosts().length > 0}
          fallback={<input class="form-input" type="text" value={parts().host ?? ""} placeholder="github.com" onInput={(e) => set("host", e.currentTarget.value)} onBlur={() => form.touch(p.model().path)} />}
        >
          <select class="form-input" onChange={(e) => set("host", e.currentTarget.value)} data-testid="repo-host">
            <For each={hosts()}>
              {(h) => (
                <option value={h} selected={parts().host === h}>
                  {h}
                </option>
              )}
            </For>
          </select>
        </Show>
      </label>
      <label class="form-subfield">
        <span class="form-sublabel">Owner</span>
        <Show
          when={owners().length > 0}
          fallback={<input class="form-input" type="text" value={parts().owner ?? ""} onInput={(e) => set("owner", e.currentTarget.value)} onBlur={() => form.touch(p.model().path)} autocomplete="off" data-testid="repo-owner" />}
        >
          <select class="form-input" onChange={(e) => set("owner", e.currentTarget.value)} data-testid="repo-owner">
            <option value="" selected={!parts().owner}>
              Choose…
            </option>
            <For each={owners()}>
              {(o) => (
                <option value={o} selected={parts().owner === o}>
                  {o}
                </option>
              )}
            </For>
          </select>
        </Show>
      </label>
      <label class="form-subfield form-subfield-grow">
        <span class="form-sublabel">Repository</span>
        <input class="form-input" type="text" value={parts().repo ?? ""} aria-invalid={p.invalid || undefined} onInput={(e) => set("repo", e.currentTarget.value)} onBlur={() => form.touch(p.model().path)} autocomplete="off" data-testid="repo-name" autofocus={p.model().autofocus || undefined} />
      </label>
    </div>
  );
}
