/** Entry point: global styles and the app. */
import { render } from "solid-js/web";
import { App, firstRouteLoad } from "./App";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/components.css";
import "./styles/scaffolder.css";

// After a deploy, an open tab may ask for chunks that no longer exist: reload once to get the new build.
window.addEventListener("vite:preloadError", (event) => {
  if (sessionStorage.getItem("edgestage.reloaded-for-chunks")) return;
  sessionStorage.setItem("edgestage.reloaded-for-chunks", "1");
  event.preventDefault();
  location.reload();
});

/**
 * How long a deep link to a lazy page waits for its chunk before rendering the shell around a skeleton. The
 * chunk was requested with the entry (the head's modulepreloads), so this is a cap for a slow network.
 */
const FIRST_CHUNK_WAIT_MS = 1000;

/**
 * Whether the page's head preloads the route chunks for `pathname` (the route-chunk map vite.config.ts writes,
 * which the worker and boot.js preload from). Only then is waiting worth it: another lazy page's chunk would
 * start downloading only now, and the shell with a skeleton is better than a spinner meanwhile.
 */
function chunksPreloaded(pathname: string): boolean {
  try {
    const map: unknown = JSON.parse(document.getElementById("edgestage-route-chunks")?.textContent ?? "{}");
    return typeof map === "object" && map !== null && Object.keys(map).some((prefix) => pathname.startsWith(prefix));
  } catch {
    return false; // an unreadable map: render at once
  }
}

function start(): void {
  const root = document.getElementById("root");
  if (!root) return;
  root.textContent = "";
  render(() => <App />, root);
}

const firstChunk = chunksPreloaded(location.pathname) ? firstRouteLoad(location.pathname) : undefined;
if (firstChunk) {
  const capped = new Promise((resolve) => setTimeout(resolve, FIRST_CHUNK_WAIT_MS));
  void Promise.race([firstChunk.catch(() => undefined), capped]).then(start);
} else start();
