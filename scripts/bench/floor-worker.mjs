/**
 * The floor: the cheapest requests this runtime can serve, measured in the same run as the catalog figures.
 * Runs in the same workerd as the worker under test, bound to the same D1 database.
 *   GET /__floor/hello → a small JSON body, no I/O
 *   GET /__floor/row   → one D1 row by primary key (SELECT id FROM entities WHERE id = ?)
 */
export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname.endsWith("/hello")) {
      return Response.json({ hello: "world" });
    }
    if (pathname.endsWith("/row")) {
      const row = await env.DB.prepare("SELECT id FROM entities WHERE id = ?").bind(1).first();
      return Response.json(row);
    }
    return new Response("not found", { status: 404 });
  },
};
