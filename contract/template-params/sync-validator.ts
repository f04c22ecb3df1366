/**
 * Installs the validator synchronously (a static import): what the worker and the tests get through the barrel
 * contract/template-params.ts. The portal's form uses lazy-validator.ts instead (see compiled.ts for why).
 */
import { deepCompareStrict, Validator } from "@cfworker/json-schema";
import { provideValidator } from "./compiled";

provideValidator({ Validator, deepCompareStrict });
