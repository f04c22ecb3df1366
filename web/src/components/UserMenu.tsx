/** The avatar in the top bar: who is signed in, a link to their catalog page, and sign-out. */
import { A } from "@solidjs/router";
import { createSignal, type JSX, onCleanup, Show } from "solid-js";
import { signOut, type Session } from "../api/session";
import { entityPath } from "../lib/entity-ref";
import { initials } from "../lib/session";
import { Icon } from "./Icon";

export function UserMenu(props: { session: Session }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const [signingOut, setSigningOut] = createSignal(false);
  const [pictureFailed, setPictureFailed] = createSignal(false);
  const user = () => props.session.user;
  const name = () => user()?.displayName ?? user()?.login ?? user()?.ref ?? (props.session.type === "service" ? "Service token" : "Administrator");
  let root!: HTMLDivElement;
  let button!: HTMLButtonElement;

  const close = (focus = false) => {
    setOpen(false);
    if (focus) button.focus();
  };
  const onDocument = (e: Event) => {
    if (open() && !root.contains(e.target as Node)) close();
  };
  document.addEventListener("pointerdown", onDocument);
  onCleanup(() => document.removeEventListener("pointerdown", onDocument));

  const doSignOut = async () => {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      // A full load: every cached answer belonged to the person who just left.
      window.location.assign("/sign-in");
    }
  };

  return (
    <div class="user-menu" ref={root} onKeyDown={(e) => e.key === "Escape" && close(true)}>
      <button
        type="button"
        ref={button}
        class="user-menu-button"
        aria-haspopup="menu"
        aria-expanded={open()}
        aria-controls="user-menu"
        aria-label={`Account: ${name()}`}
        title={name()}
        data-testid="user-menu"
        onClick={() => setOpen((v) => !v)}
      >
        <Show when={!pictureFailed() && user()?.picture} fallback={<span class="avatar avatar-initials" aria-hidden="true">{initials(name())}</span>}>
          <img class="avatar" src={user()!.picture!} alt="" width="28" height="28" referrerpolicy="no-referrer" onError={() => setPictureFailed(true)} />
        </Show>
      </button>
      <Show when={open()}>
        <div class="user-menu-popover" id="user-menu" role="menu" aria-label="Account">
          <div class="user-menu-who">
            <span class="user-menu-name">{name()}</span>
            <Show when={user()}>{(u) => <span class="user-menu-ref">{u().ref}</span>}</Show>
            <Show when={props.session.roles.includes("admin")}>
              <span class="user-menu-role">Admin</span>
            </Show>
          </div>
          <Show when={user()?.hasEntity}>
            <A href={entityPath(user()!.ref)} class="user-menu-item" role="menuitem" onClick={() => close()}>
              <Icon name="user" size={16} /> Your profile
            </A>
          </Show>
          <Show
            when={user()?.source !== "guest"}
            fallback={<p class="user-menu-note">Local development signs everyone in as this guest.</p>}
          >
            <button type="button" class="user-menu-item" role="menuitem" disabled={signingOut()} onClick={doSignOut} data-testid="sign-out">
              <Icon name="signOut" size={16} /> {signingOut() ? "Signing out…" : "Sign out"}
            </button>
          </Show>
        </div>
      </Show>
    </div>
  );
}
