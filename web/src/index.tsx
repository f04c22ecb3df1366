/** Entry point: global styles and the app. */
import { render } from "solid-js/web";
import { App, firstRouteLoad } from "./App";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/components.css";
// The software templates' styles (~2 KB gzip) ride in the main stylesheet: as their own file a template form's
// deep link was seven files, one more than the six connections a browser opens to an HTTP/1.1 host.
import "./styles/scaffolder.css";

// After a deploy, an open tab may ask for chunks that no longer exist: reload once to get the new build.
window.addEventListener("vite:preloadError", (event) => {
  if (sessionStorage.getItem("edgestage.reloaded-for-chunks")) return;
  sessionStorage.setItem("edgestage.reloaded-for-chunks", "1");
  event.preventDefault();
  location.reload();
});

/** How long a deep link to a lazy page waits for its chunk before rendering the shell around a skeleton. */
const FIRST_CHUNK_WAIT_MS = 300;

function start(): void {
  const root = document.getElementById("root");
  if (!root) return;
  root.textContent = "";
  render(() => <App />, root);
}

const firstChunk = firstRouteLoad(location.pathname);
if (firstChunk) void Promise.race([firstChunk.catch(() => undefined), new Promise((r) => setTimeout(r, FIRST_CHUNK_WAIT_MS))]).then(start);
else start();
