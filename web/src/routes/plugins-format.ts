/** Wording for the installed-plugins page. */
import type { EntityPredicate } from "../../../contract/plugin";

const list = (v: string | readonly string[] | undefined) => (v === undefined ? [] : typeof v === "string" ? [v] : [...v]);

/** `kind API · type openapi · annotation x`: what a tab or card's predicate asks for. */
export function describePredicate(when: EntityPredicate | undefined): string {
  const parts = [
    ...list(when?.kind).map((k) => `kind ${k}`),
    ...list(when?.type).map((t) => `type ${t}`),
    ...list(when?.annotation).map((a) => `annotation ${a}`),
  ];
  return parts.length ? parts.join(" · ") : "every entity";
}
