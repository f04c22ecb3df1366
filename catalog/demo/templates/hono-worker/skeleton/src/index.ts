/** ${{ values.name }}: ${{ values.description or "an HTTP API on Cloudflare Workers" }}. */
import { Hono } from "hono";

const app = new Hono();

app.get("/health", (c) => c.json({ status: "ok", service: "${{ values.name }}" }));
app.get("/", (c) => c.text("Hello from ${{ values.name }}"));

export default app;
