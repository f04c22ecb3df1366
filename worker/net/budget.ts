/**
 * Budgets of outbound reads. One is created per unit of work (a request, a job run, a processed file) and
 * every network read takes one unit; past the limit reads are refused, so no document can fan out into
 * unbounded I/O. A child budget draws from its parent too: a per-file budget inside a per-request one.
 */
import type { FileReader } from "../catalog/types";
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
/** Reads one processed file may ask for: two entities' worth of placeholders. */
export const FILE_READ_BUDGET = 100;

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

/**
 * `read` for one file: every read the file asks for takes a unit of `budget`, cached or not, so a file's
 * share is bounded while the reader's own budget (network reads only) bounds the whole request.
 */
export function limitReads(read: FileReader, budget: ReadBudget): FileReader {
  return async (location) => {
    budget.take(`${location.type}:${location.target}`);
    return read(location);
  };
}
