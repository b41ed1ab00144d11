// Citizens' links (issue 13; docs/decisions/0016): the e-mails a citizen gets carry a signed link
// that opens their complaint without the access code (and rates it), a changed or expired link
// gets a translated 4xx page with the ordinary form, and "I lost my code" sends one link to a
// contact with complaints, the same answer for any contact. With the real SMTP sink
// (global-setup.ts): the links followed are the ones that arrived, in the text and the HTML part.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { caseLinkPath } from "./support/case-links";
import { staffPage } from "./support/complaints";
import { expect, hydrated, test } from "./support/fixtures";
import { type Mail, mailsTo, waitForMail } from "./support/mail";
import { projectRoot } from "./support/paths";
import { createStaff } from "./support/staff";

type Lang = "zh-Hans" | "ug" | "kk" | "en";
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const locale = (lang: Lang): any => JSON.parse(fs.readFileSync(path.join(projectRoot, `locales/${lang}/common.json`), "utf8"));
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

const descriptions: Record<Lang, string> = {
  "zh-Hans": "办理纳税证明等了三个星期，窗口一直说系统故障。",
  ug: "باج ئىسپاتى ئۈچۈن ئۈچ ھەپتە ساقلىدىم، كۆزنەكتىكىلەر سىستېما بۇزۇلدى دەۋەردى.",
  kk: "سالىق انىقتاماسىن ٴۇش اپتا كۇتتىم، تەرەزەدە جۇيە ىستەمەي تۇر دەي بەردى.",
  en: "The permit took six weeks although the rules say ten days.",
};

/** Files a complaint through the citizen's form in `lang`, leaving only an e-mail address. */
async function fileWithEmail(page: Page, lang: Lang, unit: string, email: string) {
  const t = locale(lang).complaint;
  await page.goto(`/complaints/new?lng=${lang}&unit=${unit}`);
  await hydrated(page);
  await page.getByLabel(new RegExp(t.type.slow_action.replace(/[()]/g, "\\$&"))).check();
  await page.getByLabel(t.field.description).fill(descriptions[lang]);
  await page.getByLabel(t.anonymous.no).check();
  await page.getByLabel(t.field.contactEmail).fill(email);
  await page.getByLabel(t.field.consent).check();
  await page.getByRole("button", { name: t.new.submit }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t.filed.title);
  return (await page.getByTestId("reference").textContent())!.trim();
}

/** The one link of `kind` in a message's text part (the opt-out link aside). */
function linkIn(m: Mail, kind: "open" | "mine"): string {
  const links = m.text.match(new RegExp(`\\S*/track/${kind}\\?t=[\\w.-]+`, "g")) ?? [];
  expect(links, m.text).toHaveLength(1);
  return links[0]!;
}

const pathOf = (url: string) => {
  const u = new URL(url, "http://x");
  return `${u.pathname}${u.search}`;
};

test("the link in a citizen's e-mails opens the complaint without the code, and the handling can be rated from it", async ({ page, browser, server, db }, testInfo) => {
  test.setTimeout(90_000);
  const email = `links.${unique()}.${testInfo.project.name}@example.cn`;
  const reference = await fileWithEmail(page, "en", "C06", email);

  // "Complaint received": a text part and an HTML part, the same link clickable in both.
  const [received] = await waitForMail(email);
  const link = linkIn(received!, "open");
  expect(received!.html).toContain('<html lang="en" dir="ltr">');
  expect(received!.html).toContain(`<a href="${link}" dir="ltr">`);
  expect(received!.html).not.toMatch(/<img|<script|<link/i);

  // A new browser (the citizen on their phone): the case opens, with no code asked for.
  const phone = await browser.newContext({ baseURL: server.url });
  const citizen = await phone.newPage();
  const opened = await citizen.goto(`${pathOf(link)}&lng=en`);
  expect(opened!.status()).toBe(200);
  await expect(citizen.getByRole("heading", { level: 1 })).toContainText(reference);
  await expect(citizen.getByTestId("status")).toHaveText("Received, waiting to be accepted");
  await expect(citizen.getByTestId("description")).toHaveText(descriptions.en);
  await expect(citizen.getByLabel("Access code")).toHaveCount(0);
  // The photos' proof, as /track gives it: a cookie scoped to this complaint's photos.
  expect(await opened!.headerValue("set-cookie")).toContain(`Path=/track/${reference}/photos`);
  // Opening it changed nothing (mail scanners follow links).
  expect(db.prepare(`SELECT status, handlingGrade FROM Complaint WHERE reference = ?`).get(reference)).toEqual({ status: "submitted", handlingGrade: null });

  // The unit answers, in Uyghur: the "replied" e-mail quotes it in its own direction, with a link.
  const reply = "ئىسپاتىڭىز تەييار، 3-كۆزنەكتىن ئېلىڭ.";
  const staff = await staffPage(browser, server.url, await createStaff(db, { username: `links.${unique()}`, role: "unit_head", unit: "C06" }));
  await staff.goto(`/staff/cases/${reference}?lng=en`);
  await staff.getByRole("button", { name: "Accept" }).click();
  await expect(staff.locator("dl")).toContainText("Accepted");
  await staff.getByRole("button", { name: "Start handling" }).click();
  await expect(staff.locator("dl")).toContainText("Being handled");
  await staff.getByLabel("Answer to the citizen (the citizen sees it)").fill(reply);
  await staff.getByRole("button", { name: "Send the answer" }).click();
  await expect(staff.locator("dl")).toContainText("Answered");
  await staff.context().close();

  const replied = (await waitForMail(email, { count: 3 })).find((m) => m.subject === `Complaint ${reference}: the office has replied`);
  expect(replied, "the 'replied' e-mail").toBeTruthy();
  expect(replied!.text).toContain(reply);
  expect(replied!.html).toMatch(new RegExp(`<blockquote dir="auto"[^>]*>${reply}</blockquote>`));
  const rateLink = linkIn(replied!, "open");

  await citizen.goto(`${pathOf(rateLink)}&lng=en`);
  await expect(citizen.getByTestId("status")).toHaveText("Answered");
  await expect(citizen.getByTestId("reply")).toHaveText(reply);
  await hydrated(citizen);
  // Without a grade: the form says so, and nothing is stored.
  await citizen.getByRole("button", { name: "Send my rating" }).click();
  await expect(citizen.locator("#grade-error")).toBeVisible();
  expect(db.prepare(`SELECT handlingGrade FROM Complaint WHERE reference = ?`).get(reference)).toEqual({ handlingGrade: null });
  await citizen.getByLabel("Satisfied", { exact: true }).check();
  await citizen.getByRole("button", { name: "Send my rating" }).click();
  await expect(citizen.getByTestId("status")).toHaveText("Closed");
  await expect(citizen.locator("article")).toContainText("You rated the handling: Satisfied.");
  expect(db.prepare(`SELECT handlingGrade, status FROM Complaint WHERE reference = ?`).get(reference)).toEqual({ handlingGrade: 4, status: "closed" });
  await phone.close();
});

test("a Uyghur citizen's e-mail is right to left, and a changed or expired link gets a translated 4xx page with the tracking form", async ({ page, db, axe }, testInfo) => {
  test.setTimeout(60_000);
  const email = `links.ug.${unique()}.${testInfo.project.name}@example.cn`;
  const reference = await fileWithEmail(page, "ug", "D12", email);
  const [mail] = await waitForMail(email);
  const ug = locale("ug");
  expect(mail!.subject).toBe(ug.notify.complaintReceived.subject.replace("{{reference}}", reference));
  expect(mail!.html).toContain('<html lang="ug" dir="rtl">');
  expect(mail!.text).toContain(ug.notify.linkNote.replace("{{days}}", "30"));
  const link = pathOf(linkIn(mail!, "open"));
  const opened = await page.goto(link);
  expect(opened!.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(reference);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");

  // One character of the signature changed: refused, in the citizen's language, with the form.
  const t = new URL(link, "http://x").searchParams.get("t")!;
  const tampered = `/track/open?t=${t.slice(0, -1)}${t.endsWith("A") ? "B" : "A"}&lng=ug`;
  const bad = await page.goto(tampered);
  expect(bad!.status()).toBe(400);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ug.caseLinks.refused.bad.title);
  await expect(page.getByLabel(ug.complaint.field.reference)).toBeVisible();
  await axe(page);
  await expect(page.locator("article")).not.toContainText(reference);

  // Out of date (Kazakh this time): 410, and the form still finds nothing without the code.
  const { id } = db.prepare(`SELECT id FROM Complaint WHERE reference = ?`).get(reference) as { id: number };
  const kk = locale("kk");
  const expired = await page.goto(`${caseLinkPath(id, email, new Date(Date.now() - 60_000))}&lng=kk`);
  expect(expired!.status()).toBe(410);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(kk.caseLinks.refused.expired.title);
  await expect(page.getByRole("link", { name: kk.caseLinks.lostLink })).toBeVisible();

  // Made for another address: 404, the complaint not shown (zh).
  const zh = locale("zh-Hans");
  const other = await page.goto(`${caseLinkPath(id, `someone.else.${unique()}@example.cn`)}&lng=zh-Hans`);
  expect(other!.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(zh.caseLinks.refused.unknown.title);
  await expect(page.locator("article")).not.toContainText(reference);
});

test("'I lost my code' sends one link to a contact with complaints, answers the same for an unknown contact, and is rate-limited", async ({ page, browser, server, db, axe }, testInfo) => {
  test.setTimeout(90_000);
  const tag = `${unique()}.${testInfo.project.name}`;
  const a = `lost.a.${tag}@example.cn`;
  const b = `lost.b.${tag}@example.cn`;
  const unknown = `lost.nobody.${tag}@example.cn`;
  const a1 = await fileWithEmail(page, "zh-Hans", "D12", a);
  const bOnly = await fileWithEmail(page, "en", "D12", b);
  const a2 = await fileWithEmail(page, "ug", "C06", a);
  await waitForMail(a, { count: 2 });

  const kk = locale("kk");
  const ask = async (contact: string) => {
    await page.goto("/track?lng=kk");
    await page.getByRole("link", { name: kk.caseLinks.lostLink }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(kk.caseLinks.lost.title);
    await hydrated(page);
    await page.getByLabel(kk.caseLinks.lost.contact).fill(contact);
    await page.getByRole("button", { name: kk.caseLinks.lost.submit }).click();
  };
  const answered = () => expect(page.getByTestId("lost-answer")).toHaveText(kk.caseLinks.lost.answer);
  // The same request without the browser, to read the answer's status and headers.
  const post = (contact: string) => page.request.post("/track/lost?lng=kk", { form: { intent: "send", contact } });

  // The same answer whether or not the contact filed anything (written however it is typed).
  await ask(a.toUpperCase());
  await answered();
  await axe(page);
  await ask(unknown);
  await answered();

  // One message to A, in the page's language, with one link: A's complaints, newest first, not B's.
  const links = (await waitForMail(a, { count: 3 })).filter((m) => m.subject === kk.notify.links.subject);
  expect(links).toHaveLength(1);
  expect(links[0]!.html).toContain('<html lang="kk" dir="rtl">');
  const list = pathOf(linkIn(links[0]!, "mine"));
  const phone = await browser.newContext({ baseURL: server.url });
  const citizen = await phone.newPage();
  expect((await citizen.goto(`${list}&lng=en`))!.status()).toBe(200);
  const items = citizen.locator("ul.case-links > li");
  await expect(items).toHaveCount(2);
  await axe(citizen);
  await expect(items.nth(0)).toContainText(a2);
  await expect(items.nth(1)).toContainText(a1);
  await expect(citizen.locator("main")).not.toContainText(bOnly);
  // Each entry opens its complaint without the code.
  await items.nth(1).getByRole("link").click();
  await expect(citizen.getByRole("heading", { level: 1 })).toContainText(a1);
  await expect(citizen.getByTestId("description")).toHaveText(descriptions["zh-Hans"]);
  await phone.close();

  // Nothing was written for, or sent to, the unknown contact.
  expect(db.prepare(`SELECT COUNT(*) AS n FROM Notification WHERE recipient = ?`).get(unknown)).toEqual({ n: 0 });
  expect(mailsTo(unknown)).toEqual([]);

  // Per contact: a second and third request for the unknown contact go through, a fourth waits
  // (translated, what was typed kept in the field; 429 with Retry-After).
  const slowDown = kk.caseLinks.lost.slowDown.split("{{")[0]!.trim();
  await ask(unknown);
  await answered();
  expect((await post(unknown)).status()).toBe(200);
  await ask(unknown);
  await expect(page.getByRole("alert")).toContainText(slowDown);
  await expect(page.getByLabel(kk.caseLinks.lost.contact)).toHaveValue(unknown);
  const limited = await post(unknown);
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await limited.text()).toContain(slowDown);
  // Per network: the fifth request from this network goes through, the sixth waits.
  expect((await post(`lost.fifth.${tag}@example.cn`)).status()).toBe(200);
  expect((await post(`lost.sixth.${tag}@example.cn`)).status()).toBe(429);
});
