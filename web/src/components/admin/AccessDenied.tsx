/** In place of an admin page the caller may not use: what it needs and who they are, never a blank page. */
import { A } from "@solidjs/router";
import type { JSX } from "solid-js";
import type { Session } from "../../api/session";
import { type AdminSection, deniedMessage, describeCaller } from "../../lib/access";
import { EmptyState } from "../EmptyState";

export function AccessDenied(props: { section?: AdminSection; session: Session | null | undefined }): JSX.Element {
  return (
    <div data-testid="access-denied">
      <EmptyState
        icon="alert"
        title={deniedMessage(props.section)}
        actions={
          <A href="/" class="button button-secondary">
            Back to home
          </A>
        }
      >
        <p>
          You are signed in as {describeCaller(props.session)}.
          {props.section ? ` This page needs the ${props.section.permission} permission, which the portal's policy grants to admins.` : " The admin pages are for people the portal's policy names as admins."}{" "}
          Ask an administrator of this portal if you need it.
        </p>
      </EmptyState>
    </div>
  );
}
