/**
 * Which hosts of catalog-driven URLs are refused by address: IP literals outside public unicast space and
 * the `localhost` names. Takes the hostname of a WHATWG-parsed http(s) URL, which has already turned every
 * IPv4 notation (decimal `2130706433`, hex `0x7f.1`, octal `0177.0.0.1`, short `127.1`) into a dotted quad
 * and bracketed IPv6; the numeric check below is defence in depth for anything that did not go through it.
 */
import ipaddr from "ipaddr.js";

/** Public IPv6 is global unicast (2000::/3) only; that also excludes IPv4-compatible ::/96 forms. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

/** Why an address may not be reached, or null when it is public unicast. */
export function refusedAddress(address: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  if (address.kind() === "ipv4") {
    const range = address.range();
    return range === "unicast" ? null : range;
  }
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  // Mapped, translated, NAT64, 6to4 and Teredo addresses all carry an IPv4 address and are refused whole.
  if (range !== "unicast") return range;
  return v6.match(GLOBAL_UNICAST_V6) ? null : "not global unicast";
}

/**
 * Why a hostname may not be reached by address, or null when it is a public IP literal or a DNS name.
 * Trailing dots are ignored (`localhost.`, `127.0.0.1.`).
 */
export function refusedHost(hostname: string): string | null {
  let host = hostname.toLowerCase();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  while (host.endsWith(".")) host = host.slice(0, -1);
  if (host === "") return "empty host";
  if (host === "localhost" || host.endsWith(".localhost")) return "localhost";
  if (ipaddr.isValid(host)) {
    const reason = refusedAddress(ipaddr.parse(host));
    return reason === null ? null : `${reason} address`;
  }
  // A name made only of digits, dots and hex markers is an address in a notation nothing normalised.
  if (/^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+))*$/i.test(host) || host.includes(":")) return "unparsed address notation";
  return null;
}
