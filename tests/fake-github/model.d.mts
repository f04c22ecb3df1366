/** Types for model.mjs (the fake GitHub's in-memory data). */
import type { FakeOrgs } from "./org.mjs";
export interface FakeAuthor {
  name: string;
  email: string;
  login: string;
}
export interface FakeCommit {
  sha: string;
  repoId: number;
  parents: string[];
  files: Map<string, string>;
  treeSha: string;
  message: string;
  author: FakeAuthor;
  time: number;
}
export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  archived: boolean;
  deleted: boolean;
  fork: boolean;
  branches: Map<string, string>;
  installationId: number | null;
  /** Set for repositories created through the API (publish.mjs). */
  description?: string | null;
  homepage?: string | null;
  visibility?: string;
  topics?: string[];
  collaborators?: Map<string, string>;
  teams?: Map<string, string>;
  protection?: Map<string, any>;
  pulls: Map<number, { number: number; head: string; base: string; title?: string; body?: string; draft?: boolean }>;
}
export interface FakePush {
  repo: FakeRepo;
  branch: string;
  before: string | null;
  after: string;
  commit: FakeCommit;
  added: string[];
  modified: string[];
  removed: string[];
  forced: boolean;
}
export interface FakePull {
  number: number;
  head: string;
  base: string;
  headSha: string;
  baseSha: string;
  repo: FakeRepo;
}
export interface FakeModel {
  orgs: FakeOrgs;
  repos: Map<number, FakeRepo>;
  commits: Map<string, FakeCommit>;
  blobs: Map<string, string | Uint8Array>;
  installations: Map<number, { id: number; account: string; repoIds: Set<number>; suspended: boolean }>;
  repo(fullName: string): FakeRepo;
  findRepo(owner: string, name: string): FakeRepo | undefined;
  createRepo(r: {
    owner: string;
    name: string;
    defaultBranch?: string;
    files?: Record<string, string | Uint8Array>;
    isPrivate?: boolean;
    installationId?: number;
    time?: number;
    author?: FakeAuthor;
    archived?: boolean;
  }): Promise<FakeRepo>;
  commit(
    fullName: string,
    c?: { files?: Record<string, string | Uint8Array | null>; message?: string; author?: FakeAuthor; branch?: string; time?: number; from?: string },
  ): Promise<FakePush>;
  forcePush(fullName: string, p: { branch?: string; sha: string }): { repo: FakeRepo; branch: string; before: string | null; after: string };
  deleteBranch(fullName: string, branch: string): { repo: FakeRepo; branch: string; before: string | null };
  compare(base: string, head: string): { status: string; ahead_by: number; behind_by: number };
  createInstallation(account: string, fullNames?: string[]): number;
  addToInstallation(id: number, fullName: string): FakeRepo;
  removeFromInstallation(id: number, fullName: string): FakeRepo;
  deleteInstallation(id: number): void;
  suspendInstallation(id: number, suspended?: boolean): void;
  openPull(fullName: string, p: { head: string; base?: string }): FakePull;
  rename(fullName: string, name: string): FakeRepo;
  transfer(fullName: string, owner: string): FakeRepo;
  archive(fullName: string, archived?: boolean): FakeRepo;
  remove(fullName: string): FakeRepo;
  setDefaultBranch(fullName: string, branch: string): FakeRepo;
}
export function sha1Hex(data: string | Uint8Array): Promise<string>;
export function gitBlobSha(content: string | Uint8Array): Promise<string>;
export function createModel(options?: { now?: () => number; firstRepoId?: number }): FakeModel;
