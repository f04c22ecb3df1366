/** Types for org.mjs (the fake GitHub's organizations, teams and people). */
export interface FakePerson {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  bio: string | null;
}
export interface FakeTeam {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  parentId: number | null;
  members: Set<string>;
}
export interface FakeOrg {
  id: number;
  login: string;
  members: Set<string>;
  teams: Map<number, FakeTeam>;
}
/** A webhook GitHub would send: made from the real body `template` (a fixture name) with `body` laid over it. */
export interface FakeOrgEvent {
  event: string;
  template: string;
  body: Record<string, any>;
}
export interface FakeOrgs {
  users: Map<string, FakePerson>;
  orgs: Map<number, FakeOrg>;
  findOrg(login: string): FakeOrg | undefined;
  user(login: string, profile?: { name?: string | null; email?: string | null; bio?: string | null }): FakePerson;
  teamsOf(org: string): Record<string, string[]>;
  createOrg(login: string): FakeOrg;
  renameOrg(login: string, to: string): FakeOrgEvent[];
  deleteOrg(login: string): FakeOrgEvent[];
  addMember(org: string, login: string): FakeOrgEvent[];
  removeMember(org: string, login: string): FakeOrgEvent[];
  createTeam(org: string, name: string, opts?: { parent?: string | null; description?: string | null }): FakeOrgEvent[];
  renameTeam(org: string, slug: string, name: string): FakeOrgEvent[];
  describeTeam(org: string, slug: string, description: string | null): FakeOrgEvent[];
  moveTeam(org: string, slug: string, parent: string | null): FakeOrgEvent[];
  deleteTeam(org: string, slug: string): FakeOrgEvent[];
  addTeamMember(org: string, slug: string, login: string): FakeOrgEvent[];
  removeTeamMember(org: string, slug: string, login: string): FakeOrgEvent[];
  addCollaborator(org: string, login: string, repo?: string): FakeOrgEvent[];
  routes(h: {
    json: (body: any, status?: number, headers?: Record<string, string>) => Response;
    notFound: () => Response;
    page: (url: URL, items: any[]) => { slice: any[]; headers: Record<string, string> };
  }): [string, RegExp, (m: RegExpMatchArray, req: Request, url: URL) => Response][];
}
export function slugify(name: string): string;
export function createOrgModel(options?: { webUrl?: string; firstOrgId?: number; firstTeamId?: number; firstUserId?: number }): FakeOrgs;
export function orgWebhookBody(templates: Record<string, any>, ev: { template: string; body: Record<string, any> }): any;
