/**
 * Budgets of outbound reads. One is created per unit of work (a request, a job run, a processed file) and
 * every network read takes one unit; past the limit reads are refused, so no document can fan out into
 * unbounded I/O. A child budget draws from its parent too: a per-file budget inside a per-request one.
 */
import { OutboundRefusedError } from "./errors";

export interface ReadBudget {
  readonly limit: number;
  readonly used: number;
  /** Counts one read of `what`; throws OutboundRefusedError (rule `read-budget`) past the limit. */
  take(what: string): void;
  /** A budget of `limit` reads that also counts against this one. */
  child(limit: number): ReadBudget;
}

/** Reads one catalog request or job run may make (the Workers platform caps subrequests per invocation). */
export const DEFAULT_READ_BUDGET = 500;

export function createReadBudget(limit = DEFAULT_READ_BUDGET, parent?: ReadBudget): ReadBudget {
  let used = 0;
  const budget: ReadBudget = {
    limit,
    get used() {
      return used;
    },
    take(what) {
      if (used >= limit) throw new OutboundRefusedError(`Not reading ${what}: the budget of ${limit} reads is used up`, "read-budget");
      parent?.take(what);
      used += 1;
    },
    child: (childLimit) => createReadBudget(childLimit, budget),
  };
  return budget;
}
