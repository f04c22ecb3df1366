/**
 * One catalog file over HTTP(S) through the outbound policy: 200 is the file (strict UTF-8, BOM dropped),
 * 404 is the only "not there" (undefined), 408/429/5xx are transient (RetryableError), any other status is a
 * permanent HttpStatusError. The body never appears in an error.
 */
import { RetryableError } from "../github/errors";
import type { ReadBudget } from "./budget";
import { HttpStatusError } from "./errors";
import type { OutboundPolicy } from "./policy";
import { decodeUtf8 } from "./text";

export async function fetchCatalogFile(policy: OutboundPolicy, target: string, budget: ReadBudget): Promise<string | undefined> {
  const url = policy.checkCatalogUrl(target);
  budget.take(url.href);
  const res = await policy.fetchCatalog(url.href, { headers: { accept: "text/plain, application/yaml, application/json, */*" } });
  if (res.status === 404) {
    await res.discard();
    return undefined;
  }
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    await res.discard();
    const retryAfter = Number(res.headers.get("retry-after"));
    throw new RetryableError(`HTTP ${res.status} from ${url.host}`, Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(3600, Math.ceil(retryAfter)) : 10);
  }
  if (res.status < 200 || res.status >= 300) {
    await res.discard();
    throw new HttpStatusError(res.status, `HTTP ${res.status} from ${url.host}`);
  }
  return decodeUtf8(await res.bytes(), url.href);
}
