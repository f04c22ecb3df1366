/**
 * Path segments for outbound API paths. A URL path is split first and each segment decoded once, so an
 * encoded separator (`%2F`, `%5C`) can never become a separator and an encoded dot segment (`%2e%2e`) is
 * seen as the `..` it is. Anything that could change which resource a path names is refused: empty, `.`
 * and `..` segments, separators or control characters inside a segment, backslashes, and a segment that
 * still looks encoded after one decode (double encoding, which a server decoding twice would honour).
 */
import { OutboundRefusedError } from "./errors";

const refuse = (message: string) => new OutboundRefusedError(message, "unsafe-path");
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Throws unless `segment` (already decoded) names exactly one path element. */
export function assertSafeSegment(segment: string, what = "path segment"): string {
  if (segment === "" || segment === "." || segment === "..") throw refuse(`${what} '${segment}' is empty or a dot segment`);
  if (segment.includes("/") || segment.includes("\\")) throw refuse(`${what} contains a path separator`);
  if (CONTROL.test(segment)) throw refuse(`${what} contains a control character`);
  return segment;
}

/** Splits a raw URL path (no query or fragment) into decoded, checked segments. */
export function decodePathSegments(rawPath: string): string[] {
  if (rawPath.includes("\\")) throw refuse("path contains a backslash");
  return rawPath.split("/").map((raw) => {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw refuse("path contains a malformed percent-encoding");
    }
    if (/%[0-9a-f]{2}/i.test(segment)) throw refuse("path segment is encoded twice");
    return assertSafeSegment(segment);
  });
}

/** Checks a repository path as stored (decoded, `/`-separated) and returns its segments. */
export function repoPathSegments(path: string): string[] {
  return path.split("/").map((s) => assertSafeSegment(s, "repository path segment"));
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,99})$/;
const REPO = /^[A-Za-z0-9_.-]{1,100}$/;

/** GitHub owner and repository names, as the API accepts them in `/repos/{owner}/{repo}`. */
export function assertRepoName(owner: string, name: string): void {
  if (!OWNER.test(owner)) throw new OutboundRefusedError(`'${owner}' is not a valid GitHub owner name`, "unsafe-path");
  if (!REPO.test(name) || name === "." || name === "..") throw new OutboundRefusedError(`'${name}' is not a valid GitHub repository name`, "unsafe-path");
}

/** A branch, tag or commit as git allows them in ref names (git-check-ref-format), bounded in length. */
export function assertGitRef(ref: string): string {
  const bad = ref === "" || ref.length > 255 || /[\u0000-\u0020\u007f~^:?*[\\]/.test(ref) || ref.includes("..") || ref.includes("@{") || ref.includes("//");
  if (bad || ref.startsWith("/") || ref.endsWith("/") || ref.endsWith(".") || ref.startsWith("-")) {
    throw new OutboundRefusedError("git ref is not a valid branch, tag or commit name", "unsafe-path");
  }
  return ref;
}
