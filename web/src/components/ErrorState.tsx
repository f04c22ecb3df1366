/** A failed load: what went wrong (from the API's error envelope) and a way to retry. */
import { type JSX, Show } from "solid-js";
import { isApiError } from "../api/request";
import { Icon } from "./Icon";

function describe(err: unknown): { title: string; message: string; detail?: string } {
  if (isApiError(err)) {
    const titles: Record<string, string> = {
      NetworkError: "Can't reach Edgestage",
      NotFoundError: "Not found",
      InputError: "The request was not accepted",
      AuthenticationError: "You need to sign in",
      NotAllowedError: "You don't have access",
      ServiceUnavailableError: "Edgestage is temporarily unavailable",
    };
    return {
      title: titles[err.name] ?? "Something went wrong",
      message: err.message,
      detail: `${err.name}${err.status ? ` · HTTP ${err.status}` : ""}${err.requestId ? ` · request ${err.requestId}` : ""}`,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { title: "Something went wrong", message };
}

export function ErrorState(props: { error: unknown; onRetry?: () => void; compact?: boolean }): JSX.Element {
  const d = () => describe(props.error);
  return (
    <div class={`error-state${props.compact ? " error-state-compact" : ""}`} role="alert">
      <Icon name="alert" size={props.compact ? 18 : 28} class="error-state-icon" />
      <div class="error-state-body">
        <p class="error-state-title">{d().title}</p>
        <p class="error-state-message">{d().message}</p>
        <Show when={d().detail}>
          <p class="error-state-detail">{d().detail}</p>
        </Show>
        <Show when={props.onRetry}>
          <button type="button" class="button button-secondary" onClick={() => props.onRetry?.()}>
            Try again
          </button>
        </Show>
      </div>
    </div>
  );
}
