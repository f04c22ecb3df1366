/**
 * The fields of one object level of a template form, generated from its effective JSON Schema: a row per
 * property (label, description, control, help, errors), nested objects and arrays recursively. Fields are
 * keyed by name so typing never remounts an input, even when `dependencies` add or remove fields around it.
 */
import { createMemo, For, type JSX, Match, Show, Switch } from "solid-js";
import { resolveSchema, toPointer, type JsonSchema, type UiSchema } from "../../../../contract/template-params/api";
import { objectFields, type FieldModel } from "../../lib/scaffolder/field-model";
import { BooleanInput, EnumInput, MultiEnumInput, NumberInput, SecretInput, TextInput } from "./BasicInputs";
import { EntityRefPicker } from "./EntityRefPicker";
import { fieldId, useForm } from "./form-context";
import { RepoUrlPicker } from "./RepoUrlPicker";
import { TagsPicker } from "./TagsPicker";
import { withValidator } from "./validator";

export interface ControlProps {
  model: () => FieldModel;
  id: string;
  describedBy: string;
  invalid: boolean;
}

export function ObjectFields(props: { schema: JsonSchema; ui: UiSchema; path: readonly string[]; root: JsonSchema }): JSX.Element {
  const form = useForm();
  const pointer = toPointer(props.path);
  // A condition that needs the validator before it has loaded keeps the layout it had (the form's first render
  // never gets here without it: TemplateForm waits when that render would need it); it re-resolves once loaded.
  const effective = createMemo<JsonSchema>((prev) => withValidator(() => resolveSchema(props.schema, form.value(props.path), props.root, form.choices(), pointer), () => prev ?? props.schema));
  const fields = createMemo(() => objectFields(effective(), props.ui, props.path));
  const names = createMemo(() => fields().map((f) => f.name), undefined, { equals: (a, b) => a.join("\u0000") === b.join("\u0000") });
  return (
    <For each={names()}>
      {(name) => {
        const model = createMemo(() => fields().find((f) => f.name === name));
        return <Show when={model()}>{(m) => <FieldRow model={m} root={props.root} />}</Show>;
      }}
    </For>
  );
}

function FieldRow(props: { model: () => FieldModel; root: JsonSchema }): JSX.Element {
  const form = useForm();
  const m = props.model;
  const id = fieldId(m().path);
  const errors = () => form.errors(m().path);
  const kind = () => m().control.kind;
  const describedBy = () => [m().description ? `${id}-desc` : "", m().help ? `${id}-help` : "", errors().length ? `${id}-error` : ""].filter(Boolean).join(" ");
  const control = (p: ControlProps) => (
    <Switch fallback={<p class="form-unsupported">{m().control.kind === "unsupported" ? (m().control as { reason: string }).reason : "Unsupported field"}</p>}>
      <Match when={kind() === "text"}>
        <TextInput {...p} />
      </Match>
      <Match when={kind() === "secret"}>
        <SecretInput {...p} />
      </Match>
      <Match when={kind() === "number"}>
        <NumberInput {...p} />
      </Match>
      <Match when={kind() === "boolean"}>
        <BooleanInput {...p} />
      </Match>
      <Match when={kind() === "enum"}>
        <EnumInput {...p} />
      </Match>
      <Match when={kind() === "multi-enum"}>
        <MultiEnumInput {...p} />
      </Match>
      <Match when={kind() === "extension"}>
        <ExtensionControl {...p} />
      </Match>
      <Match when={kind() === "array"}>
        <ArrayControl {...p} root={props.root} />
      </Match>
    </Switch>
  );
  // Getters, not values: the control is created once and reads these reactively (no remount while typing).
  const controlProps: ControlProps = {
    model: m,
    id,
    get describedBy() {
      return describedBy();
    },
    get invalid() {
      return errors().length > 0;
    },
  };
  const isGroup = () => kind() === "object" || kind() === "array" || kind() === "multi-enum" || (kind() === "enum" && (m().control as { widget: string }).widget === "radio") || kind() === "boolean";
  return (
    <Show when={kind() !== "hidden"}>
      <Show
        when={kind() !== "object"}
        fallback={
          <fieldset class="form-object" data-field={m().path.join(".")}>
            <legend>{m().title}</legend>
            <Show when={m().description}>
              <p class="form-description" id={`${id}-desc`}>
                {m().description}
              </p>
            </Show>
            <OptionSelector model={m} id={id} />
            <ObjectFields schema={m().schema} ui={m().ui} path={m().path} root={props.root} />
          </fieldset>
        }
      >
        <div class="form-field" classList={{ "is-invalid": errors().length > 0 }} data-field={m().path.join(".")}>
          <Show when={!isGroup() || kind() === "array"} fallback={<span class="form-label" id={`${id}-label`}>{m().title}{m().required ? <span class="required" aria-hidden="true"> *</span> : null}</span>}>
            <label class="form-label" for={id} id={`${id}-label`}>
              {m().title}
              <Show when={m().required}>
                <span class="required" aria-hidden="true">
                  {" "}
                  *
                </span>
              </Show>
            </label>
          </Show>
          <Show when={m().description}>
            <p class="form-description" id={`${id}-desc`}>
              {m().description}
            </p>
          </Show>
          {control(controlProps)}
          <Show when={m().help}>
            <p class="form-help" id={`${id}-help`}>
              {m().help}
            </p>
          </Show>
          <Show when={errors().length > 0}>
            <ul class="form-errors" id={`${id}-error`}>
              <For each={errors()}>{(e) => <li>{e}</li>}</For>
            </ul>
          </Show>
        </div>
      </Show>
    </Show>
  );
}

/** An object-level oneOf/anyOf: pick which option's fields to fill. */
function OptionSelector(props: { model: () => FieldModel; id: string }): JSX.Element {
  const form = useForm();
  const titles = () => (props.model().control as { options?: { titles: string[] } }).options?.titles;
  const pointer = () => toPointer(props.model().path);
  return (
    <Show when={titles()}>
      {(t) => (
        <label class="form-option-select">
          <span class="form-label">Option</span>
          <select onChange={(e) => form.setChoice(pointer(), Number(e.currentTarget.value))}>
            <For each={t()}>{(title, i) => <option value={String(i())} selected={(form.choices()[pointer()] ?? 0) === i()}>{title}</option>}</For>
          </select>
        </label>
      )}
    </Show>
  );
}

function ExtensionControl(p: ControlProps): JSX.Element {
  const field = () => (p.model().control as { field: string }).field;
  return (
    <Switch fallback={<TextInput {...p} />}>
      <Match when={field() === "OwnerPicker"}>
        <EntityRefPicker {...p} fallbackKinds={["Group", "User"]} />
      </Match>
      <Match when={field() === "EntityPicker"}>
        <EntityRefPicker {...p} />
      </Match>
      <Match when={field() === "RepoUrlPicker"}>
        <RepoUrlPicker {...p} />
      </Match>
      <Match when={field() === "EntityTagsPicker"}>
        <TagsPicker {...p} />
      </Match>
      <Match when={field() === "Secret"}>
        <SecretInput {...p} />
      </Match>
    </Switch>
  );
}

/** A list of items of one schema: add, remove, each item its own field (objects get their fields). */
function ArrayControl(p: ControlProps & { root: JsonSchema }): JSX.Element {
  const form = useForm();
  const list = () => {
    const v = form.value(p.model().path);
    return Array.isArray(v) ? v : [];
  };
  const control = () => p.model().control as { itemSchema: JsonSchema; itemUi: UiSchema };
  const indexes = createMemo(() => list().map((_, i) => i), undefined, { equals: (a, b) => a.length === b.length });
  const itemTitle = () => (typeof control().itemSchema.title === "string" ? (control().itemSchema.title as string) : "Item");
  return (
    <div class="form-array" id={p.id} aria-describedby={p.describedBy || undefined}>
      <For each={indexes()}>
        {(i) => {
          return (
            <div class="form-array-item">
              <div class="form-array-item-fields">
                <ObjectFields schema={{ type: "object", properties: { [String(i)]: { ...control().itemSchema, title: `${itemTitle()} ${i + 1}` } } }} ui={{ [String(i)]: control().itemUi }} path={p.model().path} root={p.root} />
              </div>
              <button type="button" class="button button-ghost" aria-label={`Remove ${itemTitle()} ${i + 1}`} onClick={() => form.setValue(p.model().path, list().filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
          );
        }}
      </For>
      <button type="button" class="button button-secondary" onClick={() => form.setValue(p.model().path, [...list(), control().itemSchema.type === "object" ? {} : undefined])}>
        Add {itemTitle().toLowerCase()}
      </button>
    </div>
  );
}
