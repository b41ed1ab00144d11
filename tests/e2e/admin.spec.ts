import { expect, hydrated, test } from "./support/fixtures";
import { createStaff, signIn } from "./support/staff";
import type { TestDb } from "./support/db";

const unique = () => Math.random().toString(36).slice(2, 8);

function accountId(db: TestDb, username: string): number {
  return (db.prepare("SELECT id FROM StaffUser WHERE username = ?").get(username) as { id: number }).id;
}

test("an administrator creates an account with a unit role; the temporary password works once and must be changed", async ({ page, browser, server, db, axe }) => {
  const admin = await createStaff(db, { username: `admin.${unique()}`, role: "admin" });
  await signIn(page, admin, "en");
  await hydrated(page);
  await page.getByRole("link", { name: "Staff accounts" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Staff accounts");
  await axe(page);

  // A unit role without its unit is refused, with what was typed kept.
  const username = `new.${unique()}`;
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Full name").fill("李新");
  await page.getByLabel("Role, row 1").selectOption("unit_staff");
  await page.getByRole("button", { name: "Create the account" }).click();
  await expect(page.locator("#grant_0_unit-error")).toHaveText("Choose the unit for this role.");
  await expect(page.getByLabel("Unit, row 1")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("User name")).toHaveValue(username);

  await page.getByLabel("Unit, row 1").selectOption("C03");
  await page.getByLabel("With its sub-units (row 1)").check();
  await page.getByRole("button", { name: "Create the account" }).click();
  await expect(page.getByRole("status")).toContainText(`The account ${username} was created.`);
  const password = (await page.getByTestId("temporary-password").textContent())!.trim();
  expect(password).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
  await expect(page.locator("table.queue").first()).toContainText(username);
  const grant = db
    .prepare("SELECT g.role, u.code, g.includeSubunits, s.mustChangePassword FROM RoleGrant g JOIN Unit u ON u.id = g.unitId JOIN StaffUser s ON s.id = g.userId WHERE s.username = ?")
    .get(username);
  expect(grant).toEqual({ role: "unit_staff", code: "C03", includeSubunits: 1, mustChangePassword: 1 });

  // The new colleague signs in with it and must choose a password first.
  const context = await browser.newContext({ baseURL: server.url });
  const newcomer = await context.newPage();
  await newcomer.goto("/staff/login?lng=en");
  await newcomer.locator("#username").fill(username);
  await newcomer.locator("#password").fill(password);
  await newcomer.locator("form button[type=submit]").click();
  await expect(newcomer).toHaveURL(/\/staff\/password$/);
  await newcomer.locator("#current").fill(password);
  await newcomer.locator("#password").fill("my own long pass phrase");
  await newcomer.locator("#repeat").fill("my own long pass phrase");
  await newcomer.getByRole("button", { name: "Change password" }).click();
  await expect(newcomer).toHaveURL(/\/staff\?changed=1/);
  await expect(newcomer.getByRole("link", { name: "Our scores (C03)" })).toBeVisible();
  // Unit staff have no administration.
  expect((await newcomer.goto("/staff/accounts"))!.status()).toBe(403);
  expect((await newcomer.goto("/staff/units"))!.status()).toBe(403);
  expect((await newcomer.goto("/staff/audit"))!.status()).toBe(403);
  await context.close();

  // The audit log names the creation, without the password.
  await page.getByRole("link", { name: "Audit log" }).click();
  await page.getByLabel("Kind of record").selectOption("staff_user");
  await page.getByRole("button", { name: "Show" }).click();
  const row = page.locator("tr", { hasText: username }).first();
  await expect(row).toContainText("Account created");
  await expect(page.locator("table.audit-log")).not.toContainText(password);
  await axe(page);
});

test("an administrator cannot remove their own administrator role, and is told why", async ({ page, db }) => {
  const admin = await createStaff(db, { username: `admin.${unique()}`, role: "admin" });
  await signIn(page, admin, "en");
  await page.goto(`/staff/accounts/${accountId(db, admin)}`);
  await hydrated(page);
  await page.getByRole("checkbox", { name: /^Administrator/ }).uncheck();
  await page.getByRole("checkbox", { name: /^Evaluation office/ }).check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.locator("#roles-error")).toHaveText("You cannot remove your own administrator role. Another administrator can.");
  await expect(page.getByRole("alert")).toContainText("Roles across the region");
  await expect(page.locator("#roles")).toHaveAttribute("aria-describedby", "roles-error");
  const roles = db.prepare("SELECT role FROM RoleGrant WHERE userId = ?").pluck().all(accountId(db, admin));
  expect(roles).toEqual(["admin"]);
  // Nor deactivate or reset themselves: those buttons are not offered on their own account.
  await expect(page.getByRole("button", { name: "Deactivate this account" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Make a new temporary password" })).toHaveCount(0);
});

test("an administrator adds a unit named in every language, renames and deactivates it; citizens can no longer choose it; the audit log shows it", async ({ page, browser, server, db, request, axe }) => {
  test.setTimeout(60_000); // many pages and forms, with axe on several
  const admin = await createStaff(db, { username: `admin.${unique()}`, role: "admin" });
  const code = `T${unique().toUpperCase().replace(/[^A-Z0-9]/g, "")}`;
  await signIn(page, admin, "en");
  await hydrated(page);
  await page.getByRole("link", { name: "Units" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Units");
  await axe(page);

  await page.getByLabel("Code").fill(code.toLowerCase());
  await page.getByLabel("Kind").selectOption("department");
  await page.getByLabel("Parent unit").selectOption("REG");
  // One name field per supported language, whichever those are; Uyghur is left out first.
  const nameFields = page.locator("input[name^=name_]");
  expect(await nameFields.count()).toBeGreaterThanOrEqual(3);
  const known: Record<string, string> = { "name_zh-Hans": "档案局", name_en: "Archives Bureau", name_ug: "ئارخىپ ئىدارىسى" };
  for (const field of await nameFields.all()) {
    const name = (await field.getAttribute("name"))!;
    if (name !== "name_ug") await field.fill(known[name] ?? `Archives ${code}`);
  }
  await page.getByRole("button", { name: "Add the unit" }).click();
  // The Uyghur name is missing: refused, the field named, the rest kept.
  await expect(page.locator("#name_ug-error")).toHaveText("Enter the name in this language.");
  await expect(page.getByRole("alert").getByRole("link", { name: "Name in ئۇيغۇرچە" })).toBeVisible();
  await expect(page.getByLabel("Name in English")).toHaveValue("Archives Bureau");
  await expect(page.getByLabel("Name in ئۇيغۇرچە")).toHaveAttribute("dir", "rtl");
  await page.getByLabel("Name in ئۇيغۇرچە").fill("ئارخىپ ئىدارىسى");
  await page.getByRole("button", { name: "Add the unit" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/units/${code}\\?done=created$`));
  await expect(page.getByRole("status")).toHaveText("The unit was added.");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Archives Bureau (${code})`);

  // Citizens can answer for it at once.
  await page.goto(`/s/satisfaction-2026?unit=${code}&lng=en`);
  await expect(page.locator("form input[name=started]")).toHaveCount(1);

  await page.goto(`/staff/units/${code}`);
  await hydrated(page);
  await page.getByLabel("Name in English").fill("State Archives");
  await page.getByRole("button", { name: "Save the names" }).click();
  await expect(page.getByRole("status")).toHaveText("The names were saved.");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`State Archives (${code})`);
  await expect(page.getByLabel("Name in ئۇيغۇرچە")).toHaveValue("ئارخىپ ئىدارىسى");

  // The region cannot be deactivated while units below it are active.
  await page.goto("/staff/units/REG");
  await hydrated(page);
  await page.getByRole("button", { name: "Deactivate this unit" }).click();
  await expect(page.getByRole("alert")).toHaveText("This unit still has active sub-units: deactivate or move them first.");

  await page.goto(`/staff/units/${code}`);
  await hydrated(page);
  // Deactivating first says what stops and what stays, and changes nothing until confirmed.
  await page.getByRole("button", { name: "Deactivate this unit" }).click();
  const consequence = page.locator("#confirm-step");
  await expect(consequence.getByRole("heading", { name: "Deactivate State Archives?" })).toBeVisible();
  await expect(consequence).toContainText("Citizens can no longer choose it");
  await expect(consequence).toContainText("Its open complaints (0) stay with it");
  await expect(consequence).toContainText("stop taking ratings for it");
  expect(db.prepare("SELECT active FROM Unit WHERE code = ?").pluck().get(code)).toBe(1);
  await axe(page);
  await consequence.getByRole("button", { name: "Yes, deactivate this unit" }).click();
  await expect(page.getByRole("status")).toHaveText("The unit was deactivated: it takes no new ratings or complaints.");
  expect(db.prepare("SELECT active FROM Unit WHERE code = ?").pluck().get(code)).toBe(0);

  // A citizen: the unit's page, the survey link and the complaint form all say so; posts are refused.
  const citizen = await (await browser.newContext({ baseURL: server.url })).newPage();
  const unitPage = await citizen.goto(`/u/${code}?lng=en`);
  expect(unitPage!.status()).toBe(410);
  await expect(citizen.getByRole("heading", { level: 1 })).toHaveText("State Archives");
  await expect(citizen.getByRole("status")).toHaveText("This office no longer takes ratings or complaints here. Its earlier ratings and complaints are kept.");
  await citizen.goto(`/s/satisfaction-2026?unit=${code}&lng=en`);
  await expect(citizen.getByRole("heading", { level: 1 })).toHaveText("Which office served you?");
  await expect(citizen.getByRole("status")).toHaveText("“State Archives” no longer takes ratings or complaints. Please choose the office that served you from the list.");
  await expect(citizen.getByRole("link", { name: "State Archives" })).toHaveCount(0);
  await citizen.goto(`/complaints/new?unit=${code}&lng=ug`);
  await expect(citizen.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(citizen.getByRole("status")).toContainText("ئەمدى باھا ۋە ئەرز قوبۇل قىلمايدۇ");
  await axe(citizen);
  await citizen.context().close();
  const survey = await request.post(`/s/satisfaction-2026?unit=${code}&lng=en`, { form: { started: "x" }, maxRedirects: 0 });
  expect(survey.status()).toBe(400);
  const complaint = await request.post("/complaints/new?lng=en", {
    form: { unit: code, type: "slow_action", description: "Nobody answered the phone for a week.", anonymous: "yes", consent: "yes" },
    maxRedirects: 0,
  });
  expect(complaint.status()).toBe(400);
  expect(await complaint.text()).toContain("This office no longer takes complaints. Please choose another office.");
  expect(db.prepare("SELECT COUNT(*) FROM Complaint c JOIN Unit u ON u.id = c.unitId WHERE u.code = ?").pluck().get(code)).toBe(0);

  // The audit log shows the three changes, newest first, in the reader's language.
  await page.goto("/staff/audit?lng=zh-Hans");
  await hydrated(page);
  await page.getByLabel("对象类型").selectOption("unit");
  await page.getByRole("button", { name: "查询" }).click();
  const rows = page.locator("table.audit-log tbody tr", { hasText: code });
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText("停用单位");
  await expect(rows.nth(1)).toContainText("单位更名");
  await expect(rows.nth(2)).toContainText("新增单位");
  await axe(page);

  // Right to left: the units page in Uyghur.
  await page.goto("/staff/units?lng=ug");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.locator("tr", { hasText: code })).toContainText("توختىتىلغان");
  await axe(page);
});

test("the evaluation office administers units and reads the audit log, but neither accounts nor moves (access follows the tree)", async ({ page, db, server }) => {
  const office = await createStaff(db, { username: `office.${unique()}`, role: "office" });
  await signIn(page, office, "en");
  await expect(page.getByRole("link", { name: "Units" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Staff accounts" })).toHaveCount(0);
  expect((await page.goto("/staff/accounts"))!.status()).toBe(403);
  expect((await page.goto("/staff/units"))!.status()).toBe(200);
  expect((await page.goto("/staff/audit"))!.status()).toBe(200);
  await page.goto("/staff/units/D05?lng=en");
  await expect(page.getByRole("button", { name: "Move" })).toHaveCount(0);
  const parentBefore = db.prepare(`SELECT parentId FROM Unit WHERE code = 'D05'`).get();
  const move = await page.request.post("/staff/units/D05?lng=en", { form: { intent: "move", parentCode: "C01" }, headers: { origin: server.url } });
  expect(move.status()).toBe(403);
  expect(db.prepare(`SELECT parentId FROM Unit WHERE code = 'D05'`).get()).toEqual(parentBefore);
});

test("an administrator cannot give themselves another role", async ({ page, db }) => {
  const admin = await createStaff(db, { username: `admin.${unique()}`, role: "admin" });
  await signIn(page, admin, "en");
  await page.goto(`/staff/accounts/${accountId(db, admin)}`);
  await hydrated(page);
  await page.getByRole("checkbox", { name: /^Evaluation office/ }).check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.locator("#roles-error")).toHaveText("You cannot change your own roles. Another administrator must do it.");
  const roles = db.prepare(`SELECT g.role FROM RoleGrant g JOIN StaffUser u ON u.id = g.userId WHERE u.username = ?`).all(admin);
  expect(roles).toEqual([{ role: "admin" }]);
});

test("without JavaScript, the administration forms work as plain posts", async ({ browser, server, db }) => {
  const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled: false });
  const page = await context.newPage();
  const admin = await createStaff(db, { username: `admin.${unique()}`, role: "admin" });
  await signIn(page, admin, "en");

  const code = `N${unique().toUpperCase().replace(/[^A-Z0-9]/g, "")}`;
  await page.goto("/staff/units");
  await page.getByLabel("Code").fill(code);
  await page.getByLabel("Kind").selectOption("county");
  await page.getByLabel("Parent unit").selectOption("REG");
  for (const field of await page.locator("input[name^=name_]").all()) await field.fill(`Newtown ${code}`);
  await page.getByRole("button", { name: "Add the unit" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/units/${code}\\?done=created$`));
  await expect(page.getByRole("status")).toHaveText("The unit was added.");

  // A county is offered only the places where a county may go; a renaming needs every language.
  await expect(page.getByLabel("Parent unit").locator("option[value=D01]")).toHaveCount(0);
  await page.getByLabel("Parent unit").selectOption("C02");
  await page.getByRole("button", { name: "Move" }).click();
  await expect(page.getByRole("status")).toHaveText("The unit was moved.");
  await page.getByLabel("Name in English").fill("");
  await page.getByLabel("Name in 简体中文").fill("新城");
  await page.getByRole("button", { name: "Save the names" }).click();
  await expect(page.locator("#name_en-error")).toHaveText("Enter the name in this language.");
  await expect(page.getByLabel("Name in English")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Name in 简体中文")).toHaveValue("新城");

  const username = `nojs.${unique()}`;
  await page.goto("/staff/accounts");
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Full name").fill("No Script");
  await page.getByLabel("Role, row 1").selectOption("unit_head");
  await page.getByLabel("Unit, row 1").selectOption(code);
  await page.getByRole("button", { name: "Create the account" }).click();
  await expect(page.getByTestId("temporary-password")).toHaveText(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
  await page.getByRole("link", { name: `Open the account ${username}` }).click();
  await page.getByRole("button", { name: "Make a new temporary password" }).click();
  await expect(page.getByRole("status")).toContainText(`A new temporary password was made for ${username}`);
  await page.getByRole("button", { name: "Deactivate this account" }).click();
  await expect(page.getByRole("status")).toHaveText("The account was deactivated and signed out.");
  expect(db.prepare("SELECT active FROM StaffUser WHERE username = ?").pluck().get(username)).toBe(0);
  await context.close();
});
