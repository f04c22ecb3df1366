/**
 * The sign-in page: shown at /sign-in, and in place of any page while nobody is signed in. Explains a
 * failed attempt (the worker's callback sends `?error=<code>`) and starts sign-in with GitHub.
 */
import { useLocation, useSearchParams } from "@solidjs/router";
import { createResource, type JSX, Show } from "solid-js";
import { fetchProviders, githubSignInUrl } from "../api/session";
import { returnPath } from "../lib/session";

const ERRORS: Record<string, string> = {
  access_denied: "Sign-in was cancelled at GitHub.",
  state_mismatch: "That sign-in link was not started in this browser. Please try again.",
  flow_expired: "The sign-in took too long or was started in another browser. Please try again.",
  exchange_failed: "GitHub did not confirm the sign-in. Please try again.",
  token_revoked: "GitHub no longer accepts Edgestage's access for your account. Please sign in again.",
  github_unavailable: "GitHub could not be reached. Please try again in a moment.",
  github_error: "GitHub reported a problem with the sign-in. Please try again.",
};

function GithubMark(): JSX.Element {
  return (
    <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
      <path
        fill="currentColor"
        d="M8 0C3.58 0 0 3.58 0 8c0 3.54 2.29 6.53 5.47 7.59.4.07.55-.17.55-.38 0-.19-.01-.82-.01-1.49-2.01.37-2.53-.49-2.69-.94-.09-.23-.48-.94-.82-1.13-.28-.15-.68-.52-.01-.53.63-.01 1.08.58 1.23.82.72 1.21 1.87.87 2.33.66.07-.52.28-.87.51-1.07-1.78-.2-3.64-.89-3.64-3.95 0-.87.31-1.59.82-2.15-.08-.2-.36-1.02.08-2.12 0 0 .67-.21 2.2.82.64-.18 1.32-.27 2-.27.68 0 1.36.09 2 .27 1.53-1.04 2.2-.82 2.2-.82.44 1.1.16 1.92.08 2.12.51.56.82 1.27.82 2.15 0 3.07-1.87 3.75-3.65 3.95.29.25.54.73.54 1.48 0 1.07-.01 1.93-.01 2.2 0 .21.15.46.55.38A8.013 8.013 0 0 0 16 8c0-4.42-3.58-8-8-8z"
      />
    </svg>
  );
}

export default function SignIn(): JSX.Element {
  const location = useLocation();
  const [params] = useSearchParams();
  const [providers] = createResource(fetchProviders);
  const error = () => {
    const code = typeof params.error === "string" ? params.error : undefined;
    return code ? (ERRORS[code] ?? "Sign-in did not complete. Please try again.") : undefined;
  };
  // On /sign-in the page to return to is in ?returnTo; anywhere else it is the page the person asked for.
  const returnTo = () => (location.pathname === "/sign-in" ? (typeof params.returnTo === "string" && params.returnTo.startsWith("/") && !params.returnTo.startsWith("//") ? params.returnTo : "/") : returnPath(location.pathname, location.search));

  return (
    <main class="sign-in" id="main" data-testid="sign-in">
      <div class="sign-in-card">
        <span class="brand-mark sign-in-mark" aria-hidden="true">
          <svg viewBox="0 0 32 32" width="40" height="40">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path d="M9 22V10h14M9 16h10M9 22h14" stroke="var(--brand-ink)" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
        </span>
        <h1>Sign in to Edgestage</h1>
        <p class="page-subtitle">The developer portal for your organization's software catalog.</p>
        <Show when={error()}>
          <p class="sign-in-error" role="alert" data-testid="sign-in-error">
            {error()}
          </p>
        </Show>
        <Show
          when={providers()?.github !== false}
          fallback={
            <p class="sign-in-note">
              Sign-in with GitHub is not configured on this deployment. An administrator can set <code>GITHUB_OAUTH_CLIENT_ID</code> and <code>GITHUB_OAUTH_CLIENT_SECRET</code>.
            </p>
          }
        >
          {/* rel=external: a full navigation to the worker, not a route of the portal's client-side router. */}
          <a class="button button-primary sign-in-button" href={githubSignInUrl(returnTo())} rel="external" data-testid="sign-in-github">
            <GithubMark /> Sign in with GitHub
          </a>
        </Show>
        <p class="sign-in-note">Edgestage reads your public GitHub profile to find you in the catalog. It never posts anything on your behalf.</p>
      </div>
    </main>
  );
}
