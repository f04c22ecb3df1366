/** Entity refs as the portal imports them; the same suite runs in tests/worker/catalog/model/entity-ref.test.ts. */
import { parseEntityRef, stringifyEntityRef, tryParseEntityRef } from "../../web/src/lib/entity-ref";
import { entityRefSuite } from "../fixtures/contract/entity-ref-suite";

entityRefSuite("web", { parseEntityRef, tryParseEntityRef, stringifyEntityRef });
