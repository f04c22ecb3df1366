/** Markdown (descriptions in API definitions) rendered with marked and sanitised with DOMPurify. */
import DOMPurify from "dompurify";
import { marked } from "marked";
import { createMemo, type JSX } from "solid-js";

export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: false }) as string;
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

export function Markdown(props: { text: string | undefined; class?: string }): JSX.Element {
  const html = createMemo(() => (props.text ? renderMarkdown(props.text) : ""));
  return <div class={`markdown${props.class ? ` ${props.class}` : ""}`} innerHTML={html()} />;
}
