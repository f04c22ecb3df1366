/**
 * `/create/templates/:namespace/:name`: a template's form. One step per `parameters` entry, fields from its
 * JSON Schema, validated as you type with the shared module (contract/template-params), a review step with
 * every value (secrets masked), then Create → POST /api/scaffolder/v2/tasks → the task page.
 */
import { A, useLocation, useNavigate, useParams } from "@solidjs/router";
import { batch, createMemo, createResource, createSignal, For, type JSX, Match, onMount, Show, Switch } from "solid-js";
import {
  catalogRefChecks,
  errorsByPointer,
  initialValues,
  isObject,
  omitExtraData,
  parseTemplateParameters,
  resolveTree,
  setAt,
  splitSecrets,
  toPointer,
  validateStep,
  validateTemplateValues,
  type FieldError,
  type JsonObject,
  type OptionChoices,
  type TemplateStep,
} from "../../../../contract/template-params/api";
import { getEntity } from "../../api/entities";
import { catalogRefErrors } from "../../api/catalog-refs";
import { createTask } from "../../api/scaffolder";
import { ErrorState } from "../../components/ErrorState";
import { Breadcrumb } from "../../components/scaffolder/Breadcrumb";
import { EntityRefLink } from "../../components/EntityRefLink";
import { FormContext, type FormContextValue } from "../../components/scaffolder/form-context";
import { ObjectFields } from "../../components/scaffolder/SchemaFields";
import { Skeleton, SkeletonLines } from "../../components/Skeleton";
import { ensureValidator, runsWithoutValidator, withValidator } from "../../components/scaffolder/validator";
import { serializeValues } from "../../lib/scaffolder/field-model";
import { reviewSections } from "../../lib/scaffolder/review";
import { resolveRef } from "../../lib/entity-ref";
import type { Entity } from "../../../../contract/entity";

/**
 * The owner line: the `ownedBy` relation, else `spec.owner` as a group, the rule of the /create cards
 * (lib/scaffolder/templates.ts templateOwnerRef). Not imported from there: a module that both lazy pages import
 * becomes one more chunk the form waits for on a cold load.
 */
function ownerOf(e: Entity): string | undefined {
  return e.relations?.find((r) => r.type === "ownedBy")?.targetRef ?? resolveRef(e.spec?.owner, "group", e.metadata.namespace ?? "default");
}

function stepsOf(entity: Entity): { steps: TemplateStep[] } | { error: Error } {
  try {
    return { steps: parseTemplateParameters(entity.spec?.parameters) };
  } catch (e) {
    return { error: e instanceof Error ? e : new Error(String(e)) };
  }
}

/** Backstage's `?formData={...}` prefill (a JSON object); anything else is ignored. */
function formDataFromUrl(search: string): JsonObject {
  const raw = new URLSearchParams(search).get("formData");
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}

/**
 * The template and its steps, once the first step can render: at once when its defaults and layout need no
 * validator (the usual case: compiled.ts answers `const`/`enum` conditions itself), else after it has loaded.
 */
async function loadTemplateForm(ns: string, name: string, search: string): Promise<{ entity: Entity; parsed: ReturnType<typeof stepsOf> }> {
  const entity = await getEntity("template", ns, name);
  const parsed = stepsOf(entity);
  if ("steps" in parsed && !runsWithoutValidator(() => firstRender(parsed.steps, search))) await ensureValidator();
  return { entity, parsed };
}

/** What the first render computes from the schema: the initial values and the first step's layout for them. */
function firstRender(steps: readonly TemplateStep[], search: string): void {
  const values = initialValues(steps, formDataFromUrl(search));
  if (steps[0]) resolveTree(steps[0].schema, values, steps[0].schema);
}

export default function TemplateForm(): JSX.Element {
  const params = useParams<{ namespace: string; name: string }>();
  const location = useLocation();
  const [loaded] = createResource(() => [params.namespace, params.name] as const, ([ns, name]) => loadTemplateForm(ns, name, location.search));
  return (
    <div class="page scaffolder-page">
      <Switch>
        <Match when={loaded.error}>
          <ErrorState error={loaded.error} />
        </Match>
        <Match when={loaded()}>
          {(l) => {
            const parsed = l().parsed;
            return "error" in parsed ? (
              <ErrorState error={parsed.error} />
            ) : (
              <Form entity={l().entity} steps={parsed.steps} />
            );
          }}
        </Match>
        <Match when={true}>
          <div class="page-header">
            <Skeleton width="40%" height="28px" />
          </div>
          <SkeletonLines lines={6} />
        </Match>
      </Switch>
    </div>
  );
}

function Form(props: { entity: Entity; steps: TemplateStep[] }): JSX.Element {
  const location = useLocation();
  const navigate = useNavigate();
  const steps = props.steps;
  const [values, setValues] = createSignal<JsonObject>(initialValues(steps, formDataFromUrl(location.search)));
  const [choices, setChoices] = createSignal<OptionChoices>({});
  const [touched, setTouched] = createSignal<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = createSignal<ReadonlySet<number>>(new Set());
  const [active, setActive] = createSignal(0);
  const [submitting, setSubmitting] = createSignal(false);
  const [submitError, setSubmitError] = createSignal<unknown>();
  const reviewIndex = steps.length;

  // Catalog misses of pickers that allow only catalog entities (allowArbitraryValues: false), found on Next;
  // each holds while its field still names the same ref.
  const [catalogErrors, setCatalogErrors] = createSignal<(FieldError & { ref: string })[]>([]);
  const [checking, setChecking] = createSignal(false);
  const currentCatalogErrors = (stepList: readonly TemplateStep[]) => {
    const now = new Map(catalogRefChecks(stepList, values(), { choices: choices() }).map((c) => [c.pointer, c.ref]));
    return catalogErrors().filter((e) => now.get(e.pointer) === e.ref);
  };
  // Errors show only for touched fields or a step Next was pressed on, so the validator does not run until
  // one of those exists: compiling and running the step's schema was the largest task of the first render.
  const errorsShown = () => touched().size > 0 || attempted().size > 0;
  // Until the validator has loaded (it starts right after the first render), no errors yet; they appear
  // once it is in. Next and Create wait for it, so nothing passes unchecked.
  const stepErrors = createMemo(() =>
    active() < reviewIndex && errorsShown()
      ? withValidator(() => [...validateStep(steps[active()]!, values(), { choices: choices() }).errors, ...currentCatalogErrors([steps[active()]!])], () => [])
      : [],
  );
  const [validatorError, setValidatorError] = createSignal<unknown>();
  /** True once the validator is in; false (with the error shown) when it could not be loaded. */
  const validatorIn = async (): Promise<boolean> => {
    try {
      await ensureValidator();
      setValidatorError(undefined);
      return true;
    } catch (e) {
      setValidatorError(e);
      return false;
    }
  };
  /** Looks the step's catalog-only picker values up; true when they are all there (a failed lookup is left to the worker). */
  const checkCatalog = async (stepList: readonly TemplateStep[]): Promise<boolean> => {
    const checks = catalogRefChecks(stepList, values(), { choices: choices() });
    if (!checks.length) return true;
    setChecking(true);
    try {
      const missing = await catalogRefErrors(checks);
      const refOf = new Map(checks.map((c) => [c.pointer, c.ref]));
      setCatalogErrors((prev) => [...prev.filter((e) => !refOf.has(e.pointer)), ...missing.map((e) => ({ ...e, ref: refOf.get(e.pointer)! }))]);
      return missing.length === 0;
    } catch {
      return true;
    } finally {
      setChecking(false);
    }
  };
  const visible = createMemo(() => errorsByPointer(stepErrors().filter((e) => attempted().has(active()) || touched().has(e.pointer))));

  const form: FormContextValue = {
    value: (path) => {
      let cur: unknown = values();
      for (const s of path) cur = Array.isArray(cur) ? cur[Number(s)] : isObject(cur) && Object.hasOwn(cur, s) ? cur[s] : undefined;
      return cur;
    },
    setValue: (path, v) =>
      batch(() => {
        setValues((prev) => setAt(prev, path, v) as JsonObject);
        setTouched((t) => (t.has(toPointer(path)) ? t : new Set([...t, toPointer(path)])));
      }),
    errors: (path) => visible()[toPointer(path)] ?? [],
    // Leaving a field shows its errors only if something was typed: an error appearing on blur would move
    // the page under the pointer (a click on Next would miss) and scold a field nobody has filled yet.
    touch: (path) => {
      if (form.value(path) === undefined) return;
      setTouched((t) => (t.has(toPointer(path)) ? t : new Set([...t, toPointer(path)])));
    },
    choices,
    setChoice: (pointer, index) => setChoices((c) => ({ ...c, [pointer]: index })),
  };

  const next = async () => {
    if (!(await validatorIn())) return;
    setAttempted((a) => new Set([...a, active()]));
    if (stepErrors().length === 0 && !(await checkCatalog([steps[active()]!]))) {
      queueMicrotask(() => document.querySelector<HTMLElement>(".form-field.is-invalid input, .form-field.is-invalid select, .form-field.is-invalid textarea")?.focus());
      return;
    }
    if (stepErrors().length === 0) {
      setActive(active() + 1);
      focusHeading();
    } else {
      queueMicrotask(() => document.querySelector<HTMLElement>(".form-field.is-invalid input, .form-field.is-invalid select, .form-field.is-invalid textarea")?.focus());
    }
  };
  const back = () => {
    setActive(Math.max(0, active() - 1));
    focusHeading();
  };
  const goTo = (i: number) => {
    // Earlier steps are always reachable; later ones only through Next (each step is checked on the way).
    if (i < active()) {
      setActive(i);
      focusHeading();
    }
  };
  let heading: HTMLHeadingElement | undefined;
  const focusHeading = () => queueMicrotask(() => heading?.focus());

  const templateRef = `template:${props.entity.metadata.namespace ?? "default"}/${props.entity.metadata.name}`.toLowerCase();
  const create = async () => {
    if (!(await validatorIn())) return;
    const all = validateTemplateValues(steps, values(), { choices: choices() });
    if (all.valid && !(await checkCatalog(steps))) {
      setAttempted(new Set(steps.map((_, i) => i)));
      const bad = new Set(currentCatalogErrors(steps).map((e) => e.pointer));
      const firstBad = steps.findIndex((s) => catalogRefChecks([s], values(), { choices: choices() }).some((c) => bad.has(c.pointer)));
      setActive(firstBad >= 0 ? firstBad : 0);
      return;
    }
    if (!all.valid) {
      setAttempted(new Set(steps.map((_, i) => i)));
      const firstBad = steps.findIndex((s) => !validateStep(s, values(), { choices: choices() }).valid);
      setActive(firstBad >= 0 ? firstBad : 0);
      return;
    }
    const { values: safe, secrets } = splitSecrets(steps, (serializeValues(omitExtraData(steps, values(), choices())) as JsonObject | undefined) ?? {});
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const { id } = await createTask({ templateRef, values: safe, ...(Object.keys(secrets).length ? { secrets } : {}) });
      navigate(`/create/tasks/${encodeURIComponent(id)}`);
    } catch (e) {
      setSubmitError(e);
      setSubmitting(false);
    }
  };

  onMount(() => {
    performance.mark("edgestage:template-form");
    // Right after the first render, so validation as you type has it by the first keystroke.
    ensureValidator().catch(() => undefined); // Next and Create try again and say so
  });

  const title = props.entity.metadata.title || props.entity.metadata.name;
  return (
    <FormContext.Provider value={form}>
      <div class="page-header">
        <Breadcrumb items={[{ href: "/create", label: "Create" }, { label: title }]} />
        <h1>{title}</h1>
        <Show when={props.entity.metadata.description}>
          <p class="page-subtitle">{props.entity.metadata.description}</p>
        </Show>
        <Show when={ownerOf(props.entity)}>
          {(owner) => (
            <p class="scaffolder-owner">
              Owned by <EntityRefLink entityRef={owner()} />
            </p>
          )}
        </Show>
      </div>

      <ol class="stepper" aria-label="Steps">
        <For each={[...steps.map((s) => s.title), "Review"]}>
          {(t, i) => (
            <li classList={{ "is-active": active() === i(), "is-done": i() < active() }} aria-current={active() === i() ? "step" : undefined}>
              <button type="button" class="stepper-button" disabled={i() >= active()} onClick={() => goTo(i())}>
                <span class="stepper-index">{i() < active() ? "✓" : i() + 1}</span>
                <span class="stepper-title">{t}</span>
              </button>
            </li>
          )}
        </For>
      </ol>

      <section class="card scaffolder-step" aria-labelledby="step-title">
        <Show
          when={active() < reviewIndex}
          fallback={
            <Review
              steps={steps}
              values={values()}
              heading={(el) => (heading = el)}
              onBack={back}
              onCreate={create}
              submitting={submitting()}
              error={submitError()}
            />
          }
        >
          <For each={[active()]}>
            {(i) => (
              <form
                class="scaffolder-form"
                novalidate
                data-testid={`step-${i}`}
                onSubmit={(e) => {
                  e.preventDefault();
                  next();
                }}
              >
                <h2 id="step-title" class="card-title" tabindex="-1" ref={(el) => (heading = el)}>
                  {steps[i]!.title}
                </h2>
                <Show when={steps[i]!.description}>
                  <p class="form-description">{steps[i]!.description}</p>
                </Show>
                <ObjectFields schema={steps[i]!.schema} ui={steps[i]!.uiSchema} path={[]} root={steps[i]!.schema} />
                <Show when={validatorError()}>
                  <ErrorState compact error={validatorError()} />
                </Show>
                <Show when={attempted().has(i) && stepErrors().length > 0}>
                  <p class="form-summary" role="alert">
                    {stepErrors().length === 1 ? "1 field needs" : `${stepErrors().length} fields need`} your attention.
                    <Show when={(visible()[""] ?? []).length > 0}> {(visible()[""] ?? []).join(" ")}</Show>
                  </p>
                </Show>
                <div class="form-actions">
                  <button type="button" class="button button-secondary" disabled={i === 0} onClick={back}>
                    Back
                  </button>
                  <button type="submit" class="button button-primary" disabled={checking()}>
                    {i === reviewIndex - 1 ? "Review" : "Next"}
                  </button>
                </div>
              </form>
            )}
          </For>
        </Show>
      </section>
    </FormContext.Provider>
  );
}

function Review(props: {
  steps: TemplateStep[];
  values: JsonObject;
  heading: (el: HTMLHeadingElement) => void;
  onBack: () => void;
  onCreate: () => void;
  submitting: boolean;
  error: unknown;
}): JSX.Element {
  const sections = createMemo(() => reviewSections(props.steps, props.values));
  return (
    <div class="scaffolder-review" data-testid="review">
      <h2 id="step-title" class="card-title" tabindex="-1" ref={props.heading}>
        Review
      </h2>
      <p class="form-description">Check the values below, then create.</p>
      <For each={sections()}>
        {(s) => (
          <div class="review-section">
            <h3>{s.title}</h3>
            <Show when={s.entries.length > 0} fallback={<p class="muted">Nothing entered.</p>}>
              <dl class="review-list">
                <For each={s.entries}>
                  {(e) => (
                    <div class="review-row" data-field={e.field}>
                      <dt>{e.label}</dt>
                      <dd classList={{ "is-masked": e.masked }}>{e.display}</dd>
                    </div>
                  )}
                </For>
              </dl>
            </Show>
          </div>
        )}
      </For>
      <Show when={props.error}>
        <ErrorState compact error={props.error} />
      </Show>
      <div class="form-actions">
        <button type="button" class="button button-secondary" onClick={() => props.onBack()} disabled={props.submitting}>
          Back
        </button>
        <button type="button" class="button button-primary" onClick={() => props.onCreate()} disabled={props.submitting}>
          {props.submitting ? "Creating…" : "Create"}
        </button>
      </div>
    </div>
  );
}
