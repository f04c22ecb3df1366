/** Any URL the portal does not know. */
import { A, useLocation } from "@solidjs/router";
import type { JSX } from "solid-js";
import { Icon } from "../components/Icon";

export default function NotFound(): JSX.Element {
  const location = useLocation();
  const guess = () => location.pathname.split("/").filter(Boolean).pop() ?? "";
  return (
    <div class="page not-found" data-testid="page-not-found">
      <div class="not-found-hero">
        <span class="not-found-code">404</span>
        <h1>This page does not exist</h1>
        <p class="page-subtitle">
          Nothing lives at <code>{location.pathname}</code>. The link may be old, or the page may belong to a plugin that is not installed.
        </p>
        <div class="not-found-actions">
          <A class="button button-primary" href="/">
            <Icon name="home" size={16} /> Go home
          </A>
          <A class="button button-secondary" href={`/search?q=${encodeURIComponent(guess())}`}>
            <Icon name="search" size={16} /> Search for “{guess()}”
          </A>
        </div>
      </div>
    </div>
  );
}
