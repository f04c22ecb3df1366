/**
 * When /search says "No results": the catalog found nothing for the text it searched, and neither did the
 * plugin documents (TechDocs pages) searched beside it, once they have answered for that same text. With a
 * kind filter the documents are not searched, so the catalog's answer alone decides.
 */
export interface SearchEmptyInput {
  /** The text the catalog's current results are for ("" before any search). */
  searched: string;
  catalogCount: number;
  loading: boolean;
  failed: boolean;
  /** Whether documents are searched at all (no kind filter). */
  docsSearched: boolean;
  /** The documents' last answer: the text it was for and how many hits it had; null before one. */
  docs: { q: string; count: number } | null;
}

export function showNoResults(s: SearchEmptyInput): boolean {
  if (!s.searched.trim() || s.loading || s.failed || s.catalogCount > 0) return false;
  if (!s.docsSearched) return true;
  return s.docs !== null && s.docs.q.trim() === s.searched.trim() && s.docs.count === 0;
}
