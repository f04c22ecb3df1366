/** Toggles an entity in the starred list (localStorage). */
import type { JSX } from "solid-js";
import { isStarred, toggleStar } from "../lib/stars";
import { Icon } from "./Icon";

export function StarButton(props: { entityRef: string; name: string; size?: "sm" | "md" }): JSX.Element {
  const on = () => isStarred(props.entityRef);
  return (
    <button
      type="button"
      class={`star-button${on() ? " is-on" : ""}${props.size === "sm" ? " star-button-sm" : ""}`}
      aria-pressed={on()}
      aria-label={on() ? `Unstar ${props.name}` : `Star ${props.name}`}
      title={on() ? "Remove from starred" : "Add to starred"}
      onClick={(e) => {
        e.stopPropagation();
        e.preventDefault();
        toggleStar(props.entityRef);
      }}
    >
      <Icon name={on() ? "starFilled" : "star"} size={props.size === "sm" ? 16 : 20} />
    </button>
  );
}
