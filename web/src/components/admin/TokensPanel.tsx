/**
 * Admin: service tokens for machines. Creating one shows its secret once, with a copy button (the worker
 * keeps only a hash); the list shows scopes, who made it, when it was last used, and revokes.
 */
import { createSignal, For, type JSX, Show } from "solid-js";
import { createToken, listTokens, revokeToken, type ServiceToken } from "../../api/admin";
import { createData } from "../../lib/create-data";
import { exactTime, relativeTime } from "../../lib/time";
import { DataView } from "../DataView";
import { EmptyState } from "../EmptyState";
import { ErrorState } from "../ErrorState";
import { Icon } from "../Icon";

function When(props: { iso: string | null; never: string }): JSX.Element {
  return (
    <Show when={props.iso} fallback={<span class="muted">{props.never}</span>}>
      <time datetime={props.iso!} title={exactTime(props.iso)}>{relativeTime(props.iso)}</time>
    </Show>
  );
}

function NewToken(props: { token: string; name: string; onDone: () => void }): JSX.Element {
  const [copied, setCopied] = createSignal(false);
  const copy = async () => {
    await navigator.clipboard.writeText(props.token);
    setCopied(true);
  };
  return (
    <div class="token-once" role="status" data-testid="new-token">
      <p class="token-once-title">
        <Icon name="check" size={16} /> Created “{props.name}”. Copy the token now: it is not shown again.
      </p>
      <div class="token-once-value">
        <code data-testid="new-token-value">{props.token}</code>
        <button type="button" class="button button-secondary" onClick={copy} data-testid="copy-token">
          <Icon name={copied() ? "check" : "copy"} size={14} /> {copied() ? "Copied" : "Copy"}
        </button>
      </div>
      <button type="button" class="button button-ghost" onClick={() => props.onDone()}>
        I have stored it
      </button>
    </div>
  );
}

function TokenRow(props: { token: ServiceToken; onRevoked: () => void; onError: (err: unknown) => void }): JSX.Element {
  const [confirming, setConfirming] = createSignal(false);
  const t = () => props.token;
  const expired = () => t().expiresAt !== null && Date.parse(t().expiresAt!) <= Date.now();
  const revoke = async () => {
    try {
      await revokeToken(t().id);
      props.onRevoked();
    } catch (err) {
      props.onError(err);
    }
  };
  return (
    <tr data-testid="token-row" data-token-id={t().id} classList={{ "is-revoked": Boolean(t().revokedAt) }}>
      <th scope="row" class="cell-wrap">{t().name}</th>
      <td class="cell-wrap">
        <ul class="tag-list">
          <For each={t().scopes}>{(s) => <li class="tag">{s}</li>}</For>
        </ul>
      </td>
      <td class="cell-wrap">{t().createdBy}</td>
      <td><When iso={t().createdAt} never="" /></td>
      <td><When iso={t().lastUsedAt} never="Never used" /></td>
      <td data-testid="token-status">
        <Show when={t().revokedAt} fallback={<Show when={expired()} fallback={<When iso={t().expiresAt} never="Does not expire" />}>Expired</Show>}>
          <span class="chip chip-warning">Revoked</span>
        </Show>
      </td>
      <td class="cell-actions">
        <Show when={!t().revokedAt}>
          <Show when={confirming()} fallback={<button type="button" class="button button-ghost" onClick={() => setConfirming(true)}>Revoke</button>}>
            <button type="button" class="button button-danger" onClick={revoke} data-testid="confirm-revoke">Revoke now</button>
            <button type="button" class="button button-ghost" onClick={() => setConfirming(false)}>Cancel</button>
          </Show>
        </Show>
      </td>
    </tr>
  );
}

export function TokensPanel(props: { grantable: readonly string[] }): JSX.Element {
  const tokens = createData(() => true, () => listTokens());
  const [name, setName] = createSignal("");
  const [scopes, setScopes] = createSignal<string[]>(props.grantable.includes("catalog.entity.read") ? ["catalog.entity.read"] : []);
  const [days, setDays] = createSignal("90");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const [created, setCreated] = createSignal<{ token: string; name: string }>();

  const toggle = (scope: string, on: boolean) => setScopes((s) => (on ? [...new Set([...s, scope])] : s.filter((x) => x !== scope)));

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const d = Number(days());
      const res = await createToken({ name: name().trim(), scopes: scopes(), ...(days() && Number.isInteger(d) && d > 0 ? { expiresInDays: d } : {}) });
      setCreated({ token: res.token, name: res.serviceToken.name });
      setName("");
      tokens.refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="admin-panel" data-testid="admin-tokens">
      <Show when={created()}>{(c) => <NewToken token={c().token} name={c().name} onDone={() => setCreated(undefined)} />}</Show>
      <form class="admin-form admin-form-stack" onSubmit={create} aria-label="Create a service token">
        <div class="admin-form-row">
          <label class="field field-grow">
            <span class="field-label">Name</span>
            <input type="text" required maxLength={100} placeholder="CI catalog sync" value={name()} onInput={(e) => setName(e.currentTarget.value)} data-testid="token-name" />
          </label>
          <label class="field">
            <span class="field-label">Expires after (days)</span>
            <input type="number" min="1" max="3650" placeholder="never" value={days()} onInput={(e) => setDays(e.currentTarget.value)} />
          </label>
        </div>
        <fieldset class="scope-picker">
          <legend class="field-label">Scopes (what the token may do; at most what you may)</legend>
          <For each={props.grantable}>
            {(scope) => (
              <label class="field-check">
                <input type="checkbox" checked={scopes().includes(scope)} onChange={(e) => toggle(scope, e.currentTarget.checked)} />
                <code>{scope}</code>
              </label>
            )}
          </For>
        </fieldset>
        <div>
          <button type="submit" class="button button-primary" disabled={busy() || !name().trim() || scopes().length === 0} data-testid="create-token">
            {busy() ? "Creating…" : "Create token"}
          </button>
        </div>
      </form>
      <Show when={error()}>
        <ErrorState compact error={error()} />
      </Show>
      <DataView data={tokens}>
        {(items) => (
          <Show when={items.length > 0} fallback={<EmptyState compact icon="code" title="No service tokens">Create one for a CI job that reads the catalog or runs <code>catalog:load</code>.</EmptyState>}>
            <div class="table-wrap">
              <table class="admin-table" data-testid="token-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Created by</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  <For each={items}>{(t) => <TokenRow token={t} onRevoked={tokens.refetch} onError={setError} />}</For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </DataView>
    </div>
  );
}
