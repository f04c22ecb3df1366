/** Admin: the registered catalog locations; register a new one (a URL to a catalog-info.yaml) or delete one. */
import { createSignal, For, type JSX, Show } from "solid-js";
import { deleteLocation, listLocations, registerLocation } from "../../api/admin";
import { createData } from "../../lib/create-data";
import { DataView } from "../DataView";
import { EmptyState } from "../EmptyState";
import { EntityRefLink } from "../EntityRefLink";
import { ErrorState } from "../ErrorState";

export function LocationsPanel(props: { canDelete: boolean }): JSX.Element {
  const locations = createData(() => true, () => listLocations());
  const [target, setTarget] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const [notice, setNotice] = createSignal<string>();
  const [confirming, setConfirming] = createSignal<string>();

  const register = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const res = await registerLocation(target().trim());
      setNotice(res.exists ? `${res.location.target} was already registered; a refresh is queued.` : `Registered ${res.location.target}; its entities appear once it is read.`);
      setTarget("");
      locations.refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: string) => {
    setError(undefined);
    try {
      await deleteLocation(id);
      setConfirming(undefined);
      locations.refetch();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div class="admin-panel" data-testid="admin-locations">
      <form class="admin-form" onSubmit={register}>
        <label class="field field-grow">
          <span class="field-label">Register a location</span>
          <input
            type="url"
            required
            placeholder="https://github.com/acme/service/blob/main/catalog-info.yaml"
            value={target()}
            onInput={(e) => setTarget(e.currentTarget.value)}
            data-testid="location-target"
          />
        </label>
        <button type="submit" class="button button-primary" disabled={busy() || !target().trim()}>
          {busy() ? "Registering…" : "Register"}
        </button>
      </form>
      <Show when={notice()}>
        <p class="admin-notice" role="status">{notice()}</p>
      </Show>
      <Show when={error()}>
        <ErrorState compact error={error()} />
      </Show>
      <DataView data={locations}>
        {(items) => (
          <Show when={items.length > 0} fallback={<EmptyState compact icon="link" title="No locations registered">Register a catalog-info.yaml URL above, or push files with <code>npm run catalog:load</code>.</EmptyState>}>
            <div class="table-wrap">
              <table class="admin-table">
                <thead>
                  <tr>
                    <th scope="col">Target</th>
                    <th scope="col">Type</th>
                    <th scope="col">Location entity</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  <For each={items}>
                    {(l) => (
                      <tr>
                        <td class="cell-wrap"><code>{l.target}</code></td>
                        <td>{l.type}</td>
                        <td><EntityRefLink entityRef={l.entityRef} /></td>
                        <td class="cell-actions">
                          <Show when={props.canDelete}>
                            <Show
                              when={confirming() === l.id}
                              fallback={<button type="button" class="button button-ghost" onClick={() => setConfirming(l.id)}>Delete</button>}
                            >
                              <button type="button" class="button button-danger" onClick={() => remove(l.id)}>Delete with its entities</button>
                              <button type="button" class="button button-ghost" onClick={() => setConfirming(undefined)}>Cancel</button>
                            </Show>
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </DataView>
    </div>
  );
}
