import { createSignal } from "solid-js";

export function App() {
  const [count, setCount] = createSignal(0);
  return (
    <main style={{ "font-family": "system-ui", padding: "2rem" }}>
      <h1>{document.title}</h1>
      <button onClick={() => setCount((n) => n + 1)}>Clicked {count()} times</button>
    </main>
  );
}
