/**
 * relativeTime() and exactTime() on their own path, for a plugin's first-paint code: the barrel's chunk also
 * brings the Markdown renderer. Both format without Intl, whose first use in a page costs tens of milliseconds.
 */
export { exactTime, relativeTime } from "../lib/time";
