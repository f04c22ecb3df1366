/**
 * api-docs: an API entity's definition read in the portal (OpenAPI 3 / Swagger 2, AsyncAPI 2/3, GraphQL SDL,
 * gRPC .proto, anything else as text) and an explorer of every API with its providers and consumers.
 * Everything runs in the browser from the catalog's own data: there is no worker part.
 */
import { definePlugin } from "../../contract/plugin";

export default definePlugin({
  id: "api-docs",
  title: "API docs",
  version: "1.0.0",
  description: "Reads OpenAPI, Swagger, AsyncAPI, GraphQL and gRPC definitions of API entities; lists every API with its providers and consumers.",
  icon: "code",
  nav: [{ path: "/api-docs", title: "APIs", icon: "code" }],
  entityTabs: [{ id: "definition", title: "Definition", icon: "code", when: { kind: "API" } }],
  entityCards: [{ id: "apis", title: "APIs", when: { kind: "Component" }, replaces: "apis" }],
});
