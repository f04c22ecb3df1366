/**
 * @module The fake GitHub's organizations: members with public profiles, nested teams and team membership;
 * the REST endpoints that read them, with GitHub's rules (a team's member list includes its child teams'
 * members; deleting a team deletes its child teams; /orgs/{org}/members/{login} answers 204 or 404); and,
 * for every change, the webhook GitHub sends, built from the real bodies in tests/fixtures/github (passed
 * in by the caller, so this module runs in workerd and in Node alike).
 */

const lc = (/** @type {string} */ s) => s.toLowerCase();
const clone = (v) => JSON.parse(JSON.stringify(v));
const API = "https://api.github.com";

/** GitHub's slug of a team name. */
export function slugify(/** @type {string} */ name) {
  return lc(name).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/**
 * @param {{ webUrl?: string, firstOrgId?: number, firstTeamId?: number, firstUserId?: number }} [options]
 */
export function createOrgModel(options = {}) {
  const webUrl = options.webUrl ?? "https://github.com";
  let nextOrgId = options.firstOrgId ?? 90001;
  let nextTeamId = options.firstTeamId ?? 70001;
  let nextUserId = options.firstUserId ?? 40001;
  /** @type {Map<string, { id: number, login: string, name: string | null, email: string | null, bio: string | null }>} lower-cased login → person */
  const users = new Map();
  /** @type {Map<number, { id: number, login: string, members: Set<string>, teams: Map<number, { id: number, name: string, slug: string, description: string | null, parentId: number | null, members: Set<string> }> }>} */
  const orgs = new Map();

  function findOrg(/** @type {string} */ login) {
    for (const o of orgs.values()) if (lc(o.login) === lc(login)) return o;
    return undefined;
  }
  function org(/** @type {string} */ login) {
    const o = findOrg(login);
    if (!o) throw new Error(`fake GitHub: no organization ${login}`);
    return o;
  }
  function findTeam(o, /** @type {string} */ slug) {
    for (const t of o.teams.values()) if (t.slug === lc(slug)) return t;
    return undefined;
  }
  function team(o, /** @type {string} */ slug) {
    const t = findTeam(o, slug);
    if (!t) throw new Error(`fake GitHub: no team ${slug} in ${o.login}`);
    return t;
  }
  function person(/** @type {string} */ login) {
    const u = users.get(lc(login));
    if (!u) throw new Error(`fake GitHub: no user ${login}`);
    return u;
  }

  /** Creates a person, or changes their public profile (GitHub sends no webhook for that). */
  function user(/** @type {string} */ login, /** @type {{ name?: string | null, email?: string | null, bio?: string | null }} */ profile = {}) {
    const u = users.get(lc(login)) ?? { id: nextUserId++, login, name: null, email: null, bio: null };
    Object.assign(u, profile);
    users.set(lc(login), u);
    return u;
  }

  const children = (o, t) => [...o.teams.values()].filter((c) => c.parentId === t.id);
  /** Direct members plus every descendant team's. */
  function listedMembers(o, t) {
    const out = new Set();
    const walk = (x) => {
      for (const m of x.members) out.add(m);
      for (const c of children(o, x)) walk(c);
    };
    walk(t);
    return [...out].sort().map((m) => users.get(m));
  }

  const avatar = (id) => `https://avatars.githubusercontent.com/u/${id}?v=4`;
  const simpleUserJson = (u) => ({
    login: u.login,
    id: u.id,
    node_id: `U_${u.id}`,
    avatar_url: avatar(u.id),
    gravatar_id: "",
    url: `${API}/users/${u.login}`,
    html_url: `${webUrl}/${u.login}`,
    type: "User",
    site_admin: false,
  });
  const userJson = (u) => ({ ...simpleUserJson(u), name: u.name, company: null, blog: "", location: null, email: u.email, bio: u.bio, public_repos: 0, followers: 0, following: 0 });
  const orgJson = (o) => ({
    login: o.login,
    id: o.id,
    node_id: `O_${o.id}`,
    url: `${API}/orgs/${o.login}`,
    repos_url: `${API}/orgs/${o.login}/repos`,
    members_url: `${API}/orgs/${o.login}/members{/member}`,
    public_members_url: `${API}/orgs/${o.login}/public_members{/member}`,
    avatar_url: avatar(o.id),
    description: "",
  });
  const teamJson = (o, t, withParent = true) => {
    const parent = t.parentId === null ? undefined : o.teams.get(t.parentId);
    return {
      name: t.name,
      id: t.id,
      node_id: `T_${t.id}`,
      slug: t.slug,
      description: t.description,
      privacy: "closed",
      notification_setting: "notifications_enabled",
      url: `${API}/teams/${t.id}`,
      html_url: `${webUrl}/orgs/${o.login}/teams/${t.slug}`,
      members_url: `${API}/teams/${t.id}/members{/member}`,
      repositories_url: `${API}/teams/${t.id}/repos`,
      permission: "pull",
      ...(withParent ? { parent: parent ? teamJson(o, parent, false) : null } : {}),
    };
  };

  /**
   * A webhook GitHub would send: `template` names the real body in tests/fixtures/github it is made from,
   * `body` the parts that describe this org's change.
   * @typedef {{ event: string, template: string, body: Record<string, any> }} FakeOrgEvent
   */
  const hook = (event, template, body) => /** @type {FakeOrgEvent} */ ({ event, template, body });
  /** GitHub's examples have no member_removed or deleted body: those reuse member_added's and renamed's, which GitHub documents with the same shape. */
  const orgHook = (o, action, template, extra = {}) => hook("organization", template, { action, organization: orgJson(o), ...extra });

  return {
    users,
    orgs,
    findOrg,
    user,
    /** Team slugs of an org → their direct members' logins. */
    teamsOf(/** @type {string} */ login) {
      const o = org(login);
      return Object.fromEntries([...o.teams.values()].map((t) => [t.slug, [...t.members].map((m) => users.get(m).login).sort()]));
    },
    createOrg(/** @type {string} */ login) {
      if (findOrg(login)) throw new Error(`fake GitHub: organization ${login} exists`);
      const o = { id: nextOrgId++, login, members: new Set(), teams: new Map() };
      orgs.set(o.id, o);
      return o;
    },
    renameOrg(/** @type {string} */ login, /** @type {string} */ to) {
      const o = org(login);
      const from = o.login;
      o.login = to;
      return [orgHook(o, "renamed", "organization-renamed", { changes: { login: { from } } })];
    },
    deleteOrg(/** @type {string} */ login) {
      const o = org(login);
      orgs.delete(o.id);
      return [orgHook(o, "deleted", "organization-renamed", { changes: undefined })];
    },
    addMember(/** @type {string} */ orgLogin, /** @type {string} */ login) {
      const o = org(orgLogin);
      const u = person(login);
      o.members.add(lc(u.login));
      return [orgHook(o, "member_added", "organization-member_added", { membership: { url: `${API}/orgs/${o.login}/memberships/${u.login}`, state: "active", role: "member", organization_url: `${API}/orgs/${o.login}`, user: simpleUserJson(u) } })];
    },
    /** GitHub takes someone who leaves the org off every team as well. */
    removeMember(/** @type {string} */ orgLogin, /** @type {string} */ login) {
      const o = org(orgLogin);
      const u = person(login);
      o.members.delete(lc(u.login));
      for (const t of o.teams.values()) t.members.delete(lc(u.login));
      return [orgHook(o, "member_removed", "organization-member_added", { membership: { url: `${API}/orgs/${o.login}/memberships/${u.login}`, state: "active", role: "member", organization_url: `${API}/orgs/${o.login}`, user: simpleUserJson(u) } })];
    },
    createTeam(/** @type {string} */ orgLogin, /** @type {string} */ name, /** @type {{ parent?: string | null, description?: string | null }} */ opts = {}) {
      const o = org(orgLogin);
      if (findTeam(o, slugify(name))) throw new Error(`fake GitHub: team ${slugify(name)} exists in ${o.login}`);
      const t = { id: nextTeamId++, name, slug: slugify(name), description: opts.description ?? null, parentId: opts.parent ? team(o, opts.parent).id : null, members: new Set() };
      o.teams.set(t.id, t);
      return [hook("team", "team-created", { action: "created", team: teamJson(o, t), organization: orgJson(o) })];
    },
    renameTeam(/** @type {string} */ orgLogin, /** @type {string} */ slug, /** @type {string} */ name) {
      const o = org(orgLogin);
      const t = team(o, slug);
      const from = t.name;
      Object.assign(t, { name, slug: slugify(name) });
      return [hook("team", "team-edited", { action: "edited", changes: { name: { from } }, team: teamJson(o, t), organization: orgJson(o) })];
    },
    describeTeam(/** @type {string} */ orgLogin, /** @type {string} */ slug, /** @type {string | null} */ description) {
      const o = org(orgLogin);
      const t = team(o, slug);
      const from = t.description ?? "";
      t.description = description;
      return [hook("team", "team-edited", { action: "edited", changes: { description: { from } }, team: teamJson(o, t), organization: orgJson(o) })];
    },
    /** Puts a team under another parent (null: top level); GitHub's `team edited` then lists no changes. */
    moveTeam(/** @type {string} */ orgLogin, /** @type {string} */ slug, /** @type {string | null} */ parent) {
      const o = org(orgLogin);
      const t = team(o, slug);
      const p = parent === null ? null : team(o, parent);
      for (let a = p; a; a = a.parentId === null ? null : o.teams.get(a.parentId)) if (a.id === t.id) throw new Error("fake GitHub: a team cannot be moved under itself");
      t.parentId = p?.id ?? null;
      return [hook("team", "team-edited", { action: "edited", changes: {}, team: teamJson(o, t), organization: orgJson(o) })];
    },
    /** Deletes the team and its child teams, as GitHub does; one `team deleted` is sent, for the team named. */
    deleteTeam(/** @type {string} */ orgLogin, /** @type {string} */ slug) {
      const o = org(orgLogin);
      const t = team(o, slug);
      const body = teamJson(o, t);
      const drop = (x) => {
        for (const c of children(o, x)) drop(c);
        o.teams.delete(x.id);
      };
      drop(t);
      return [hook("team", "team-deleted", { action: "deleted", team: body, organization: orgJson(o) })];
    },
    addTeamMember(/** @type {string} */ orgLogin, /** @type {string} */ slug, /** @type {string} */ login) {
      const o = org(orgLogin);
      const t = team(o, slug);
      const u = person(login);
      if (!o.members.has(lc(u.login))) throw new Error(`fake GitHub: ${u.login} is not a member of ${o.login}`);
      t.members.add(lc(u.login));
      return [hook("membership", "membership-added", { action: "added", scope: "team", member: simpleUserJson(u), team: teamJson(o, t), organization: orgJson(o) })];
    },
    removeTeamMember(/** @type {string} */ orgLogin, /** @type {string} */ slug, /** @type {string} */ login) {
      const o = org(orgLogin);
      const t = team(o, slug);
      const u = person(login);
      t.members.delete(lc(u.login));
      return [hook("membership", "membership-removed", { action: "removed", scope: "team", member: simpleUserJson(u), team: teamJson(o, t), organization: orgJson(o) })];
    },
    /** Someone is added as a collaborator of one of the org's repositories. */
    addCollaborator(/** @type {string} */ orgLogin, /** @type {string} */ login, /** @type {string} */ repo = "hello-world") {
      const o = org(orgLogin);
      const u = person(login);
      return [
        hook("member", "member-added", {
          action: "added",
          member: simpleUserJson(u),
          repository: { name: repo, full_name: `${o.login}/${repo}`, owner: { ...orgJson(o), type: "Organization" } },
          organization: orgJson(o),
        }),
      ];
    },

    /** The REST endpoints, as entries for app.mjs's route table. */
    routes(/** @type {{ json: (body: any, status?: number, headers?: Record<string,string>) => Response, notFound: () => Response, page: (url: URL, items: any[]) => { slice: any[], headers: Record<string,string> } }} */ h) {
      const listed = (url, items) => {
        const { slice, headers } = h.page(url, items);
        return h.json(slice, 200, headers);
      };
      const byName = (a, b) => (lc(a.name) < lc(b.name) ? -1 : 1);
      /** @type {[string, RegExp, (m: RegExpMatchArray, req: Request, url: URL) => Response][]} */
      const out = [
        ["GET", /^\/orgs\/([^/]+)$/, (m) => {
          const o = findOrg(decodeURIComponent(m[1]));
          return o ? h.json({ ...orgJson(o), html_url: `${webUrl}/${o.login}`, type: "Organization" }) : h.notFound();
        }],
        ["GET", /^\/organizations\/(\d+)$/, (m) => {
          const o = orgs.get(Number(m[1]));
          return o ? h.json({ ...orgJson(o), html_url: `${webUrl}/${o.login}`, type: "Organization" }) : h.notFound();
        }],
        ["GET", /^\/orgs\/([^/]+)\/teams$/, (m, _req, url) => {
          const o = findOrg(decodeURIComponent(m[1]));
          return o ? listed(url, [...o.teams.values()].sort(byName).map((t) => teamJson(o, t))) : h.notFound();
        }],
        ["GET", /^\/organizations\/(\d+)\/team\/(\d+)\/members$/, (m, _req, url) => {
          const o = orgs.get(Number(m[1]));
          const t = o?.teams.get(Number(m[2]));
          return t ? listed(url, listedMembers(o, t).map(simpleUserJson)) : h.notFound();
        }],
        ["GET", /^\/orgs\/([^/]+)\/members$/, (m, _req, url) => {
          const o = findOrg(decodeURIComponent(m[1]));
          return o ? listed(url, [...o.members].map((l) => users.get(l)).sort((a, b) => (lc(a.login) < lc(b.login) ? -1 : 1)).map(simpleUserJson)) : h.notFound();
        }],
        ["GET", /^\/orgs\/([^/]+)\/members\/([^/]+)$/, (m) => {
          const o = findOrg(decodeURIComponent(m[1]));
          return o?.members.has(lc(decodeURIComponent(m[2]))) ? new Response(null, { status: 204 }) : h.notFound();
        }],
        ["GET", /^\/users\/([^/]+)$/, (m) => {
          const u = users.get(lc(decodeURIComponent(m[1])));
          return u ? h.json(userJson(u)) : h.notFound();
        }],
      ];
      return out;
    },
  };
}

/**
 * The body of a FakeOrgEvent: its real template with the event's parts laid over it, one level deep, so
 * the fields this model does not know keep GitHub's values.
 * @param {Record<string, any>} templates fixture name (without .json) → body
 * @param {{ template: string, body: Record<string, any> }} ev
 */
export function orgWebhookBody(templates, ev) {
  const template = templates[ev.template];
  if (!template) throw new Error(`fake GitHub: no webhook template ${ev.template}`);
  const out = clone(template);
  for (const [key, value] of Object.entries(ev.body)) {
    const base = out[key];
    out[key] = value && typeof value === "object" && !Array.isArray(value) && base && typeof base === "object" && !Array.isArray(base) ? { ...base, ...value } : value;
  }
  return JSON.parse(JSON.stringify(out));
}
