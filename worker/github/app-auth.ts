/**
 * GitHub App authentication: an RS256 JWT signed with the App's private key (WebCrypto), exchanged for
 * installation tokens that are cached per isolate until shortly before they expire. GitHub hands out
 * PKCS#1 keys ("BEGIN RSA PRIVATE KEY") while WebCrypto imports only PKCS#8, so PKCS#1 is wrapped first.
 */
const keyCache = new Map<string, Promise<CryptoKey>>();
const jwtCache = new Map<string, { jwt: string; until: number }>();
const tokenCache = new Map<string, { token: string; until: number }>();

const b64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const utf8 = (s: string) => new TextEncoder().encode(s);

function pemBody(pem: string): Uint8Array {
  const b64 = pem.replace(/-----(BEGIN|END)[^-]+-----/g, "").replace(/\s+/g, "");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>= 8;
  }
  return [0x80 | bytes.length, ...bytes];
}

/** PrivateKeyInfo { version 0, AlgorithmIdentifier rsaEncryption, OCTET STRING <PKCS#1 key> }. */
export function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array {
  const algorithm = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
  const octets = [0x04, ...derLength(pkcs1.length)];
  const inner = [0x02, 0x01, 0x00, ...algorithm, ...octets];
  const total = inner.length + pkcs1.length;
  const out = new Uint8Array([0x30, ...derLength(total), ...inner, ...pkcs1]);
  return out;
}

function importKey(pem: string): Promise<CryptoKey> {
  let key = keyCache.get(pem);
  if (!key) {
    const der = pemBody(pem);
    const pkcs8 = pem.includes("BEGIN RSA PRIVATE KEY") ? pkcs1ToPkcs8(der) : der;
    key = crypto.subtle.importKey("pkcs8", pkcs8, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
    key.catch(() => keyCache.delete(pem));
    keyCache.set(pem, key);
  }
  return key;
}

/** A JWT for the App itself, valid 9 minutes (GitHub allows 10), backdated for clock drift. */
export async function appJwt(appId: string, privateKey: string, now = Date.now()): Promise<string> {
  const cached = jwtCache.get(appId);
  if (cached && cached.until > now) return cached.jwt;
  const iat = Math.floor(now / 1000) - 60;
  const header = b64url(utf8(JSON.stringify({ alg: "RS256", typ: "JWT" })));
  const payload = b64url(utf8(JSON.stringify({ iat, exp: iat + 600, iss: appId })));
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", await importKey(privateKey), utf8(`${header}.${payload}`));
  const jwt = `${header}.${payload}.${b64url(new Uint8Array(signature))}`;
  jwtCache.set(appId, { jwt, until: now + 8 * 60_000 });
  return jwt;
}

export function cachedInstallationToken(cacheKey: string, now = Date.now()): string | null {
  const hit = tokenCache.get(cacheKey);
  return hit && hit.until > now ? hit.token : null;
}

/** Keeps a token until a minute before `expires_at`, so no request goes out with a token about to lapse. */
export function cacheInstallationToken(cacheKey: string, token: string, expiresAt: string): void {
  const until = Date.parse(expiresAt) - 60_000;
  if (Number.isFinite(until)) tokenCache.set(cacheKey, { token, until });
}

export function forgetInstallationToken(cacheKey: string): void {
  tokenCache.delete(cacheKey);
}
