/**
 * Pages per table and index of a SQLite database file, read from the file itself: local D1 (workerd) has no
 * dbstat table and refuses PRAGMA page_count, and Node 20 has no node:sqlite. Walks every b-tree named in
 * sqlite_master from its root page (interior, leaf and overflow pages), with the WAL's committed frames laid
 * over the main file, as SQLite itself would read it. Result matches dbstat's per-name page counts.
 */
import { existsSync, readFileSync } from "node:fs";

function varint(buf, pos) {
  let v = 0n;
  for (let i = 0; i < 8; i++) {
    const b = buf[pos + i];
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) return [Number(v), pos + i + 1];
  }
  v = (v << 8n) | BigInt(buf[pos + 8]);
  return [Number(v), pos + 9];
}

/** Page number → the bytes SQLite would read for it: the last committed WAL frame, else the main file. */
function pageReader(path) {
  const main = readFileSync(path);
  const pageSize = main.readUInt16BE(16) === 1 ? 65536 : main.readUInt16BE(16);
  const reserved = main[20];
  const committed = new Map();
  let pageCount = Math.floor(main.length / pageSize);
  const walPath = `${path}-wal`;
  if (existsSync(walPath)) {
    const wal = readFileSync(walPath);
    if (wal.length >= 32 && (wal.readUInt32BE(0) & ~1) === 0x377f0682) {
      const salt1 = wal.readUInt32BE(16);
      const salt2 = wal.readUInt32BE(20);
      const pending = new Map();
      for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
        if (wal.readUInt32BE(off + 8) !== salt1 || wal.readUInt32BE(off + 12) !== salt2) break;
        pending.set(wal.readUInt32BE(off), off + 24);
        const commitSize = wal.readUInt32BE(off + 4);
        if (commitSize) {
          for (const [p, o] of pending) committed.set(p, wal.subarray(o, o + pageSize));
          pending.clear();
          pageCount = commitSize;
        }
      }
    }
  }
  const page = (n) => committed.get(n) ?? main.subarray((n - 1) * pageSize, n * pageSize);
  return { page, pageSize, usable: pageSize - reserved, pageCount };
}

/**
 * Walks the b-tree rooted at `root`: { pages, overflow } (overflow pages counted from the payload sizes) and,
 * with `collect`, the records of a table b-tree's leaf cells (only the local part; used for sqlite_master,
 * whose rows are small).
 */
function walk(r, root, collect) {
  const U = r.usable;
  let pages = 0;
  let overflow = 0;
  const records = [];
  const localSize = (P, leafTable) => {
    const X = leafTable ? U - 35 : Math.floor(((U - 12) * 64) / 255) - 23;
    if (P <= X) return P;
    const M = Math.floor(((U - 12) * 32) / 255) - 23;
    const K = M + ((P - M) % (U - 4));
    return K <= X ? K : M;
  };
  const addPayload = (P, leafTable) => {
    const local = localSize(P, leafTable);
    if (P > local) overflow += Math.ceil((P - local) / (U - 4));
    return local;
  };
  const stack = [root];
  while (stack.length) {
    const n = stack.pop();
    const b = r.page(n);
    const h = n === 1 ? 100 : 0;
    const type = b[h];
    const cells = b.readUInt16BE(h + 3);
    pages++;
    const interior = type === 0x02 || type === 0x05;
    if (interior) stack.push(b.readUInt32BE(h + 8));
    const ptrs = h + (interior ? 12 : 8);
    for (let i = 0; i < cells; i++) {
      let pos = b.readUInt16BE(ptrs + 2 * i);
      if (interior) {
        stack.push(b.readUInt32BE(pos));
        pos += 4;
      }
      if (type === 0x05) continue;
      let P;
      [P, pos] = varint(b, pos);
      if (type === 0x0d) [, pos] = varint(b, pos);
      const local = addPayload(P, type === 0x0d);
      if (collect && type === 0x0d) records.push(decodeRecord(b.subarray(pos, pos + local)));
    }
  }
  return { pages, overflow, records };
}

function decodeRecord(buf) {
  let [headerSize, pos] = varint(buf, 0);
  const types = [];
  while (pos < headerSize) {
    let t;
    [t, pos] = varint(buf, pos);
    types.push(t);
  }
  let at = headerSize;
  const sizes = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8 };
  return types.map((t) => {
    if (t === 0) return null;
    if (t === 8) return 0;
    if (t === 9) return 1;
    if (t >= 1 && t <= 6) {
      const len = sizes[t];
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + buf[at + i];
      at += len;
      return v;
    }
    if (t === 7) return (at += 8), null;
    const len = Math.floor((t - (t % 2 ? 13 : 12)) / 2);
    const s = buf.subarray(at, at + len);
    at += len;
    return t % 2 ? s.toString("utf8") : s;
  });
}

/**
 * Every b-tree of the database: [{ name, type ('table' | 'index'), table, pages, bytes }], plus the file's
 * page size, page count and the pages in no b-tree (freelist, pointer maps).
 */
export function sqlitePages(path) {
  const r = pageReader(path);
  const master = walk(r, 1, true);
  const trees = [{ name: "sqlite_schema", type: "table", table: "sqlite_schema", pages: master.pages + master.overflow }];
  for (const [type, name, table, rootpage] of master.records) {
    if (!rootpage || (type !== "table" && type !== "index")) continue;
    const t = walk(r, rootpage, false);
    trees.push({ name, type, table, pages: t.pages + t.overflow });
  }
  for (const t of trees) t.bytes = t.pages * r.pageSize;
  const used = trees.reduce((a, t) => a + t.pages, 0);
  return { pageSize: r.pageSize, pageCount: r.pageCount, freePages: r.pageCount - used, trees };
}
