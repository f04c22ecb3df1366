/** The plain JSON Schema controls of the template form: text, textarea, password, number, checkbox, select, radio, checkboxes. */
import { For, type JSX, Show } from "solid-js";
import { enumIndex, formatInput, parseInput, type EnumOption } from "../../lib/scaffolder/field-model";
import { useForm } from "./form-context";
import type { ControlProps } from "./SchemaFields";

function common(p: ControlProps) {
  return {
    id: p.id,
    "aria-describedby": p.describedBy || undefined,
    "aria-invalid": p.invalid || undefined,
    "aria-required": p.model().required || undefined,
    autofocus: p.model().autofocus || undefined,
    readOnly: p.model().readonly || undefined,
  };
}

export function TextInput(p: ControlProps): JSX.Element {
  const form = useForm();
  const path = () => p.model().path;
  const control = () => p.model().control as { kind: "text"; input: string; rows?: number };
  const onInput = (raw: string) => form.setValue(path(), parseInput(p.model().control, raw));
  return (
    <Show
      when={control().input === "textarea"}
      fallback={
        <input
          class="form-input"
          type={control().input === "email" ? "email" : control().input === "url" ? "url" : control().input === "date" ? "date" : control().input === "date-time" ? "datetime-local" : "text"}
          {...common(p)}
          placeholder={p.model().placeholder}
          value={formatInput(form.value(path()))}
          onInput={(e) => onInput(e.currentTarget.value)}
          onBlur={() => form.touch(path())}
        />
      }
    >
      <textarea
        class="form-input"
        {...common(p)}
        rows={control().rows ?? 4}
        placeholder={p.model().placeholder}
        value={formatInput(form.value(path()))}
        onInput={(e) => onInput(e.currentTarget.value)}
        onBlur={() => form.touch(path())}
      />
    </Show>
  );
}

/** A secret: a password input; its value leaves the form only in the task's `secrets`. */
export function SecretInput(p: ControlProps): JSX.Element {
  const form = useForm();
  return (
    <input
      class="form-input"
      type="password"
      autocomplete="off"
      {...common(p)}
      value={formatInput(form.value(p.model().path))}
      onInput={(e) => form.setValue(p.model().path, e.currentTarget.value === "" ? undefined : e.currentTarget.value)}
      onBlur={() => form.touch(p.model().path)}
    />
  );
}

export function NumberInput(p: ControlProps): JSX.Element {
  const form = useForm();
  return (
    <input
      class="form-input form-input-number"
      type="text"
      inputMode={(p.model().control as { integer?: boolean }).integer ? "numeric" : "decimal"}
      {...common(p)}
      value={formatInput(form.value(p.model().path))}
      onInput={(e) => form.setValue(p.model().path, parseInput(p.model().control, e.currentTarget.value))}
      onBlur={() => form.touch(p.model().path)}
    />
  );
}

export function BooleanInput(p: ControlProps): JSX.Element {
  const form = useForm();
  return (
    <label class="form-check">
      <input
        type="checkbox"
        {...common(p)}
        aria-labelledby={`${p.id}-label`}
        checked={form.value(p.model().path) === true}
        onChange={(e) => {
          form.setValue(p.model().path, e.currentTarget.checked);
          form.touch(p.model().path);
        }}
      />
      <span>{p.model().title}</span>
    </label>
  );
}

export function EnumInput(p: ControlProps): JSX.Element {
  const form = useForm();
  const c = () => p.model().control as { kind: "enum"; widget: "select" | "radio"; options: EnumOption[] };
  const selected = () => enumIndex(c().options, form.value(p.model().path));
  const choose = (i: number) => {
    form.setValue(p.model().path, i >= 0 ? c().options[i]!.value : undefined);
    form.touch(p.model().path);
  };
  return (
    <Show
      when={c().widget === "radio"}
      fallback={
        <select class="form-input" {...common(p)} onChange={(e) => choose(Number(e.currentTarget.value))}>
          <option value="-1" selected={selected() < 0}>
            {p.model().required ? "Choose…" : "(none)"}
          </option>
          <For each={c().options}>
            {(o, i) => (
              <option value={String(i())} selected={selected() === i()}>
                {o.label}
              </option>
            )}
          </For>
        </select>
      }
    >
      <div class="form-choices" role="radiogroup" id={p.id} aria-labelledby={`${p.id}-label`} aria-describedby={p.describedBy || undefined} aria-invalid={p.invalid || undefined}>
        <For each={c().options}>
          {(o, i) => (
            <label class="form-check">
              <input type="radio" name={p.id} checked={selected() === i()} onChange={() => choose(i())} autofocus={(p.model().autofocus && i() === 0) || undefined} />
              <span>{o.label}</span>
            </label>
          )}
        </For>
      </div>
    </Show>
  );
}

export function MultiEnumInput(p: ControlProps): JSX.Element {
  const form = useForm();
  const c = () => p.model().control as { kind: "multi-enum"; widget: string; options: EnumOption[] };
  const current = () => {
    const v = form.value(p.model().path);
    return Array.isArray(v) ? v : [];
  };
  const toggle = (o: EnumOption, on: boolean) => {
    const rest = current().filter((v) => JSON.stringify(v) !== JSON.stringify(o.value));
    // Keep the options' order, as rjsf's checkboxes widget does.
    const next = on ? c().options.filter((x) => x === o || rest.some((v) => JSON.stringify(v) === JSON.stringify(x.value))).map((x) => x.value) : rest;
    form.setValue(p.model().path, next.length ? next : undefined);
    form.touch(p.model().path);
  };
  return (
    <div class="form-choices" role="group" id={p.id} aria-labelledby={`${p.id}-label`} aria-describedby={p.describedBy || undefined}>
      <For each={c().options}>
        {(o) => (
          <label class="form-check">
            <input type="checkbox" checked={current().some((v) => JSON.stringify(v) === JSON.stringify(o.value))} onChange={(e) => toggle(o, e.currentTarget.checked)} />
            <span>{o.label}</span>
          </label>
        )}
      </For>
    </div>
  );
}
