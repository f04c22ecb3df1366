/**
 * @module The fake GitHub's OAuth app: `/login/oauth/authorize` (approves at once as the person signed in
 * to the fake, or answers `error=access_denied` when told to), `/login/oauth/access_token` (client
 * credentials, one-use codes that expire, redirect_uri and PKCE S256 checks; failures are 200s with an
 * `error`, as GitHub answers them) and `GET /user` for the tokens it issued, which can be revoked.
 * Control for the HTTP server: POST /_fake/oauth/sign-in {login, name?, email?}, POST /_fake/oauth/deny {deny}.
 */

const CODE_TTL_MS = 10 * 60_000;

function json(body, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

function b64url(/** @type {Uint8Array} */ bytes) {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const random = (/** @type {number} */ n) => b64url(crypto.getRandomValues(new Uint8Array(n)));

async function s256(/** @type {string} */ verifier) {
  return b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/**
 * @param {{ now?: () => number, clientId?: string, clientSecret?: string }} [options]
 */
export function createFakeOAuth(options = {}) {
  const now = options.now ?? (() => Date.now());
  const client = { id: options.clientId ?? "test-oauth-client", secret: options.clientSecret ?? "test-oauth-secret" };
  let nextId = 1000;
  /** @type {Map<string, { id: number, login: string, name: string | null, email: string | null, avatar_url: string }>} */
  const users = new Map();
  /** @type {Map<string, { login: string, redirectUri: string | null, challenge: string | null, method: string | null, expiresAt: number, used: boolean }>} */
  const codes = new Map();
  /** @type {Map<string, { login: string, revoked: boolean }>} */
  const tokens = new Map();
  /** @type {{ method: string, path: string, status: number, error?: string }[]} */
  const exchanges = [];
  let signedIn = "octocat";
  let deny = false;

  function addUser(/** @type {{ login: string, name?: string | null, email?: string | null }} */ u) {
    const user = { id: nextId++, login: u.login, name: u.name ?? null, email: u.email ?? null, avatar_url: `https://avatars.githubusercontent.com/u/${nextId}?v=4` };
    users.set(u.login.toLowerCase(), user);
    return user;
  }
  addUser({ login: "octocat", name: "The Octocat" });

  function authorize(/** @type {URL} */ url) {
    const redirect = url.searchParams.get("redirect_uri");
    if (url.searchParams.get("client_id") !== client.id || !redirect) return new Response("Unknown OAuth application or missing redirect_uri", { status: 404 });
    const back = new URL(redirect);
    const state = url.searchParams.get("state");
    if (state !== null) back.searchParams.set("state", state);
    if (deny) {
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("error_description", "The user has denied your application access.");
    } else {
      const code = random(15);
      codes.set(code, {
        login: signedIn,
        redirectUri: redirect,
        challenge: url.searchParams.get("code_challenge"),
        method: url.searchParams.get("code_challenge_method"),
        expiresAt: now() + CODE_TTL_MS,
        used: false,
      });
      back.searchParams.set("code", code);
    }
    return new Response(null, { status: 302, headers: { location: back.toString() } });
  }

  async function accessToken(/** @type {Request} */ req) {
    const form = new URLSearchParams(await req.text());
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.get("authorization") ?? "");
    const [id, secret] = basic ? atob(basic[1]).split(":") : [form.get("client_id"), form.get("client_secret")];
    const fail = (error, description) => {
      exchanges.push({ method: "POST", path: "/login/oauth/access_token", status: 200, error });
      return json({ error, error_description: description, error_uri: "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors" });
    };
    if (id !== client.id || secret !== client.secret) return fail("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
    const code = codes.get(form.get("code") ?? "");
    if (!code || code.used || code.expiresAt <= now()) return fail("bad_verification_code", "The code passed is incorrect or expired.");
    code.used = true;
    if (code.redirectUri !== form.get("redirect_uri")) return fail("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.");
    if (code.challenge) {
      const verifier = form.get("code_verifier") ?? "";
      const expected = code.method === "S256" ? await s256(verifier) : verifier;
      if (!verifier || expected !== code.challenge) return fail("invalid_grant", "The code_verifier does not match the code_challenge.");
    }
    const token = `gho_${random(27)}`;
    tokens.set(token, { login: code.login, revoked: false });
    exchanges.push({ method: "POST", path: "/login/oauth/access_token", status: 200 });
    return json({ access_token: token, token_type: "bearer", scope: "read:user" });
  }

  function user(/** @type {Request} */ req) {
    const token = (req.headers.get("authorization") ?? "").replace(/^(bearer|token)\s+/i, "");
    const t = tokens.get(token);
    const u = t && !t.revoked ? users.get(t.login.toLowerCase()) : undefined;
    if (!u) return json({ message: "Bad credentials", documentation_url: "https://docs.github.com/rest" }, 401);
    return json({ ...u, type: "User", html_url: `https://github.com/${u.login}` });
  }

  return {
    client,
    users,
    codes,
    tokens,
    exchanges,
    addUser,
    /** The person the fake's browser session is signed in to GitHub as; authorize approves for them. */
    signIn(/** @type {{ login: string, name?: string | null, email?: string | null }} */ u) {
      if (!users.has(u.login.toLowerCase())) addUser(u);
      signedIn = u.login;
    },
    /** Makes authorize answer `error=access_denied` (the person clicked Cancel). */
    setDeny(/** @type {boolean} */ value) {
      deny = value;
    },
    /** Revokes every token issued to `login` (the person revoked the app in their GitHub settings). */
    revoke(/** @type {string} */ login) {
      for (const t of tokens.values()) if (t.login.toLowerCase() === login.toLowerCase()) t.revoked = true;
    },
    /** Answers OAuth requests, or null for anything else (the REST routes then handle it). */
    async handle(/** @type {Request} */ req, /** @type {URL} */ url, /** @type {string} */ path) {
      if (req.method === "GET" && path === "/login/oauth/authorize") return authorize(url);
      if (req.method === "POST" && path === "/login/oauth/access_token") return accessToken(req);
      const bearer = (req.headers.get("authorization") ?? "").replace(/^(bearer|token)\s+/i, "");
      if (req.method === "GET" && path === "/user" && bearer.startsWith("gho_")) return user(req);
      return null;
    },
    /** The HTTP server's control endpoints; undefined for other paths. */
    control(/** @type {string} */ method, /** @type {string} */ path, /** @type {any} */ body) {
      if (method === "POST" && path === "/_fake/oauth/sign-in" && body?.login) return (this.signIn(body), { signedIn: body.login });
      if (method === "POST" && path === "/_fake/oauth/deny") return (this.setDeny(Boolean(body?.deny)), { deny: Boolean(body?.deny) });
      return undefined;
    },
  };
}
