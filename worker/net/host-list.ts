/**
 * Host allow-lists as Backstage's `backend.reading.allow` spells them: `example.com` matches that host
 * exactly, `*.example.com` any host below it (not example.com itself); a port is part of the host
 * (`example.com:8443`), so an entry without one matches only the scheme's default port.
 */
export function parseHostList(value: string | undefined | null): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase().replace(/\.$/, ""))
    .filter(Boolean);
}

/** `host` is URL.host: lower-cased, default port dropped, IPv6 bracketed. */
export function hostAllowed(host: string, list: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.(?=:\d+$|$)/, "");
  for (const entry of list) {
    if (entry.startsWith("*.")) {
      if (h.endsWith(entry.slice(1))) return true;
    } else if (h === entry) return true;
  }
  return false;
}
