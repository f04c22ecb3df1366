/** Switches light/dark; the choice persists in localStorage. */
import type { JSX } from "solid-js";
import { theme, toggleTheme } from "../lib/theme";
import { Icon } from "./Icon";

export function ThemeToggle(): JSX.Element {
  const next = () => (theme() === "dark" ? "light" : "dark");
  return (
    <button type="button" class="icon-button" onClick={toggleTheme} aria-label={`Switch to ${next()} theme`} title={`Switch to ${next()} theme`} data-testid="theme-toggle">
      <Icon name={theme() === "dark" ? "sun" : "moon"} />
    </button>
  );
}
