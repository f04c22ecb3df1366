/**
 * github_file_reads: which repo files each catalog file read through placeholders ($text/$json/$yaml), and
 * the blob id it read. Backstage re-processes an entity when a file it read changes (refresh keys); this is
 * how a push that only edits an API's openapi.yaml reaches the catalog file that embeds it.
 */
export interface FileRead {
  locationKey: string;
  path: string;
  sha: string | null;
}

export async function listFileReads(db: D1Database, originKey: string): Promise<FileRead[]> {
  const { results } = await db
    .prepare("SELECT location_key AS locationKey, path, sha FROM github_file_reads WHERE origin_key = ?")
    .bind(originKey)
    .all<FileRead>();
  return results;
}

/** Replaces what one catalog file read; an empty list forgets the file (it was removed). */
export async function replaceFileReads(db: D1Database, originKey: string, locationKey: string, reads: { path: string; sha: string | null }[]): Promise<void> {
  const statements = [db.prepare("DELETE FROM github_file_reads WHERE location_key = ?").bind(locationKey)];
  if (reads.length) {
    statements.push(
      db
        .prepare(
          `INSERT OR REPLACE INTO github_file_reads (origin_key, location_key, path, sha)
           SELECT ?1, ?2, j.value->>'path', j.value->>'sha' FROM json_each(?3) j`,
        )
        .bind(originKey, locationKey, JSON.stringify(reads)),
    );
  }
  await db.batch(statements);
}

export async function deleteFileReadsOfOrigin(db: D1Database, originKey: string): Promise<void> {
  await db.prepare("DELETE FROM github_file_reads WHERE origin_key = ?").bind(originKey).run();
}
