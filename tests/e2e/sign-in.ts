/**
 * Signing in to the guest-less portal (global-setup.ts's second server) through the fake GitHub: tell the
 * fake who is signed in to "GitHub", click "Sign in with GitHub", and land back on the portal.
 */
import type { Page } from "playwright-core";

/** The org the fake GitHub serves for the import test. */
export const E2E_ORG = "Initech";
/** The demo catalog's platform team: its members are the sign-in portal's admins (PERMISSION_POLICY). */
export const E2E_ADMIN_GROUP = "group:default/team-platform";

export async function signInAs(page: Page, githubURL: string, person: { login: string; name: string }, returnTo = "/"): Promise<void> {
  const res = await fetch(`${githubURL}/_fake/oauth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(person) });
  if (!res.ok) throw new Error(`The fake GitHub refused the sign-in: ${res.status}`);
  await page.goto(returnTo);
  await page.getByTestId("sign-in-github").click();
  await page.getByTestId("user-menu").waitFor();
}
