/**
 * A build's problems as processing errors on the entity (PluginContext.problems): each finished build replaces
 * what the last one recorded, so a good build clears them. The context takes at most 20 problems per entity,
 * messages up to 2,000 characters and fields up to 500: the first 19 go as they are and the rest are counted
 * in one last entry (the site record keeps up to 100, shown in the Docs tab).
 */
import type { PluginContext, PluginProblem } from "../../../contract/plugin-worker";
import type { BuildProblem } from "./mkdocs";

const MAX_PROBLEMS = 20;
const SHA = /^[0-9a-f]{40}$/i;

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export function entityProblemsOf(problems: readonly BuildProblem[], commit: string | null): PluginProblem[] {
  const commitSha = commit && SHA.test(commit) ? commit : null;
  const one = (p: BuildProblem): PluginProblem => ({ name: p.name, message: cut(p.message, 2000), field: p.file ? cut(p.file, 500) : null, commitSha });
  if (problems.length <= MAX_PROBLEMS) return problems.map(one);
  const rest = problems.length - (MAX_PROBLEMS - 1);
  return [...problems.slice(0, MAX_PROBLEMS - 1).map(one), { name: "BuildError", message: `and ${rest} more docs build problems (listed in the Docs tab)`, field: null, commitSha }];
}

/** Records the build's problems on the entity (none: clears what an earlier build recorded). */
export async function recordEntityProblems(ctx: PluginContext, ref: string, problems: readonly BuildProblem[], commit: string | null): Promise<void> {
  try {
    await ctx.problems.replace(ref, entityProblemsOf(problems, commit));
  } catch (err) {
    // The entity left the catalog while it built: its site goes with the next catalog change.
    if ((err as { name?: string }).name !== "NotFoundError") throw err;
  }
}
