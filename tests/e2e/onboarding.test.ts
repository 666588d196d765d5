import type { Browser, FrameLocator } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createPrismaClient } from "../../app/db/prisma-client.server";
import { FIRST_OPEN_TIMEOUT, launchBrowser, openWatchedPage, screenshot } from "../setup/browser";
import { startAppWithSimulator, type TestNetwork } from "../setup/test-app";

const PRIMARY = "onb-primary.myshopify.com";
const BY_KEY = "onb-by-key.myshopify.com";
const BY_INVITE = "onb-by-invite.myshopify.com";
let network: TestNetwork;
let browser: Browser;

beforeAll(async () => {
  network = await startAppWithSimulator();
  for (const domain of [PRIMARY, BY_KEY, BY_INVITE]) await network.sim.control.createStore({ domain });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

async function openApp(shop: string) {
  const watched = await openWatchedPage(browser);
  await watched.page.goto(`${network.sim.origin}/admin/${shop}/apps/tandem`);
  return { ...watched, frame: watched.page.frameLocator("#app-frame") };
}

/**
 * A store's first choice of role. Twice in loaded CI passes (SQLite, then PostgreSQL with 45 s) the
 * second store's first open never showed the role buttons, which no run on an idle or CPU-starved
 * machine has reproduced: a failure says what the frame showed, the page's errors and the app's
 * last output, to find the cause.
 */
async function chooseRole({ frame, problems }: { frame: FrameLocator; problems: string[] }, button: string) {
  try {
    await frame.getByRole("button", { name: button }).click({ timeout: FIRST_OPEN_TIMEOUT });
  } catch (error) {
    const shown = await frame.locator("body").innerText({ timeout: 5_000 }).catch((reason: Error) => `(no frame body: ${reason.message})`);
    const controls = await Promise.all(["heading", "button"].map((role) => frame.getByRole(role as "heading" | "button").allInnerTexts().catch(() => [])));
    throw new Error([
      (error as Error).message,
      `The frame showed: ${shown.slice(0, 2_000)}`,
      `Its headings: ${JSON.stringify(controls[0])}; its buttons: ${JSON.stringify(controls[1])}`,
      `Page problems: ${JSON.stringify(problems)}`,
      `The app's last output: ${network.app.output().slice(-3_000)}`,
    ].join("\n"));
  }
}

test("a primary shares its key and invites a store; one dependent connects with the key, another accepts the invitation", async () => {
  // Primary: choose the role, see the key, invite a store by its admin URL.
  const primary = await openApp(PRIMARY);
  await chooseRole(primary, "Make this the primary store");
  const keyText = primary.frame.getByTestId("connection-key");
  await keyText.waitFor();
  const key = (await keyText.textContent())!;
  expect(key).toMatch(/^TNDM(-[0-9A-Z]{4}){8}$/);
  // The admin's frame here blocks the clipboard (no clipboard-write permission), as some do: no
  // uncaught error (primary.problems below); the key is selected and the merchant told how to copy it.
  await primary.frame.getByRole("button", { name: "Copy key" }).click();
  await primary.frame.getByText(/The key is selected: press Ctrl\+C/).waitFor();
  expect(await keyText.evaluate(() => window.getSelection()?.toString())).toBe(key);
  await primary.frame.getByLabel("Store addresses").fill(`https://${BY_INVITE}/admin\nnot a store`);
  await primary.frame.getByRole("button", { name: "Send invitations" }).click();
  await primary.frame.getByText(`Invited ${BY_INVITE}`).waitFor();
  await primary.frame.getByText(/not a store: Use the store's myshopify\.com address/).waitFor();
  await screenshot(primary.page, "onboarding-primary-key-and-invites");
  // The way on is a next step, not "Skip for now".
  expect(await primary.frame.getByRole("link", { name: "Skip for now" }).count()).toBe(0);
  await primary.frame.getByText("Each store that connects chooses what it receives, and its first Sync all starts at once.").waitFor();
  await primary.frame.getByRole("link", { name: "Go to the dashboard" }).click();
  await primary.frame.getByRole("heading", { name: "Dashboard" }).waitFor();
  expect(primary.problems).toEqual([]);
  // Done with this store: its page stops loading the app while the next store opens it.
  await primary.context.close();

  // Dependent 1: a wrong key is explained inline; the right key connects at once.
  const byKey = await openApp(BY_KEY);
  await chooseRole(byKey, "Make this a dependent store");
  const keyField = byKey.frame.getByLabel("Primary store's connection key");
  await keyField.fill("TNDM-0000-0000-0000-0000-0000-0000-0000-0000");
  await byKey.frame.getByRole("button", { name: "Connect" }).click();
  await byKey.frame.getByText(/No primary store has this key/).waitFor();
  await keyField.fill(key.toLowerCase());
  await byKey.frame.getByRole("button", { name: "Connect" }).click();
  // Next step: sync preferences, which can be skipped.
  await byKey.frame.getByText(`Connected to ${PRIMARY}`).waitFor();
  await screenshot(byKey.page, "onboarding-dependent-preferences");
  await byKey.frame.getByRole("link", { name: "Skip for now" }).click();
  await byKey.frame.getByRole("heading", { name: "Dashboard" }).waitFor();
  await byKey.frame.getByText(PRIMARY).first().waitFor();
  await byKey.frame.getByText("Setup incomplete").waitFor();
  await screenshot(byKey.page, "onboarding-dependent-connected-by-key");
  expect(byKey.problems).toEqual([]);
  await byKey.context.close();

  // Dependent 2: the invitation sent before it opened Tandem is waiting for it, shown at the role
  // step already: accepting it makes this store a dependent of the primary in one step.
  const byInvite = await openApp(BY_INVITE);
  await byInvite.frame.getByText(`You have an invitation from ${PRIMARY}`).waitFor({ timeout: FIRST_OPEN_TIMEOUT });
  await byInvite.frame.getByRole("button", { name: "Make this the primary store" }).waitFor();
  await screenshot(byInvite.page, "onboarding-dependent-invitation");
  await byInvite.frame.getByRole("button", { name: "Accept invitation" }).click();
  await byInvite.frame.getByText(`Connected to ${PRIMARY}`).waitFor();
  // Polaris draws its own radio and checkbox: click the labels, as a person does.
  await byInvite.frame.getByText("Only products in both stores", { exact: true }).click();
  await byInvite.frame.getByText("Prices", { exact: true }).click();
  await expect(byInvite.frame.getByLabel("Only products in both stores").isChecked()).resolves.toBe(true);
  await expect(byInvite.frame.getByLabel(/^Prices/).isChecked()).resolves.toBe(false);
  await byInvite.frame.getByRole("button", { name: "Save preferences" }).click();
  await byInvite.frame.getByRole("heading", { name: "Dashboard" }).waitFor();
  await byInvite.frame.getByText(PRIMARY).first().waitFor();
  await expect(byInvite.frame.getByText("Setup incomplete").count()).resolves.toBe(0);
  const prisma = createPrismaClient(network.app.databaseUrl);
  const saved = await prisma.syncPreferences.findUnique({ where: { dependentShop: BY_INVITE } });
  await prisma.$disconnect();
  expect(saved).toMatchObject({ scope: "matching", syncDetails: true, syncPrice: false, syncQuantity: true });
  expect(byInvite.problems).toEqual([]);

  // The primary's dashboard lists both dependents as connected.
  const dashboard = await openApp(PRIMARY);
  await dashboard.frame.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: FIRST_OPEN_TIMEOUT });
  await dashboard.frame.getByText(BY_KEY).first().waitFor();
  await dashboard.frame.getByText(BY_INVITE).first().waitFor();
  await expect(dashboard.frame.getByText("Connected", { exact: true }).count()).resolves.toBe(2);
  await screenshot(dashboard.page, "dashboard-primary-connected-stores");
  expect(dashboard.problems).toEqual([]);
}, 240_000);
