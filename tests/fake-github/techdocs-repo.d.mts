/** Types for techdocs-repo.mjs. */
export const PNG: Uint8Array;
export function techdocsRepoFiles(name: string, opts?: { owner?: string; extraPages?: number }): Record<string, string | Uint8Array>;
