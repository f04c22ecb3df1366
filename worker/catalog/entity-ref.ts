/** Entity refs for the worker: the one parser and formatter in contract/entity-ref.ts, which the portal uses too. */
export {
  DEFAULT_NAMESPACE,
  EntityRefError,
  lower,
  parseEntityRef,
  stringifyEntityRef,
  tryParseEntityRef,
  type EntityRefContext,
  type PartialEntityRef,
} from "../../contract/entity-ref";
