/** "3 minutes ago", the exact local time on hover; no Intl (its first use held up a docs page by ~60 ms). */
import type { JSX } from "solid-js";
import { exactTime, relativeTime } from "../../../web/src/plugin-kit/time";

export function When(props: { iso: string | null | undefined }): JSX.Element {
  return (
    <time datetime={props.iso ?? undefined} title={exactTime(props.iso)}>
      {relativeTime(props.iso)}
    </time>
  );
}
