// Text in another script than the page's keeps its own direction and order: a Chinese reply on
// the Uyghur tracking page, a Uyghur complaint on the Chinese case page, a typed date on the
// Uyghur case page. Checked on what the browser lays out (computed direction, where the first
// and last characters land), not only on attributes.
import fs from "node:fs";
import path from "node:path";
import type { Browser, Locator, Page } from "@playwright/test";
import { expect, hydrated, test } from "./support/fixtures";
import { projectRoot } from "./support/paths";
import { createStaff, signIn } from "./support/staff";

const ug = JSON.parse(fs.readFileSync(path.join(projectRoot, "locales/ug/common.json"), "utf8")) as { staff: { queue: { submitted: string } } };

const unique = () => Math.random().toString(36).slice(2, 8);

const UYGHUR = "كۆزنەكتە ئىككى سائەت ساقلىدۇق، خىزمەتچى يوق ئىدى.";
const CHINESE_REPLY = "已增派人员，窗口排队时间缩短。";
const TYPED_WHEN = "2026-11-27 09:00";

async function file(page: Page, unit: string, description: string, when?: string) {
  await page.goto(`/complaints/new?lng=en&unit=${unit}`);
  await page.getByLabel("Slow action (慢作为)").check();
  await page.getByLabel("What happened?").fill(description);
  if (when) await page.getByLabel(/^When\?/).fill(when);
  await page.getByLabel("No, stay anonymous").check();
  await page.getByLabel(/I confirm/).check();
  await page.getByRole("button", { name: "Send the complaint" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your complaint has been received");
  return { reference: (await page.getByTestId("reference").textContent())!, code: (await page.getByTestId("code").textContent())! };
}

/** A signed-in staff page in its own context; its console errors (a hydration mismatch) go to `errors`. */
async function staffPage(browser: Browser, baseURL: string, username: string, lng: string, errors: string[]) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => errors.push(`${err.message} (${page.url()})`));
  await signIn(page, username, lng);
  return page;
}

/** The computed direction of an element, as the browser lays it out. */
const direction = (el: Locator) => el.evaluate((e) => getComputedStyle(e).direction);

/**
 * Where the `first` and `last` substrings of an element's text are drawn (CSS px), and the
 * element's own box: the text's visual order, whatever the attributes say.
 */
function positions(el: Locator, first: string, last: string) {
  return el.evaluate(
    (e, [a, b]) => {
      const text = e.textContent ?? "";
      const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
      const nodes: Text[] = [];
      while (walker.nextNode()) nodes.push(walker.currentNode as Text);
      const xOf = (needle: string, fromEnd: boolean) => {
        const at = fromEnd ? text.lastIndexOf(needle) : text.indexOf(needle);
        if (at < 0) throw new Error(`"${needle}" not in "${text}"`);
        let offset = at;
        for (const node of nodes) {
          if (offset < node.length) {
            const range = document.createRange();
            range.setStart(node, offset);
            range.setEnd(node, Math.min(node.length, offset + needle.length));
            const r = range.getBoundingClientRect();
            return { left: r.left, right: r.right, top: r.top };
          }
          offset -= node.length;
        }
        throw new Error("offset past the text");
      };
      const box = e.getBoundingClientRect();
      return { first: xOf(a, false), last: xOf(b, true), box: { left: box.left, right: box.right } };
    },
    [first, last] as const,
  );
}

test("a Chinese reply on the Uyghur tracking page reads left to right with its full stop at the end", async ({ page, browser, server, db, consoleErrors }) => {
  const { reference, code } = await file(page, "C06", UYGHUR);
  const head = await staffPage(browser, server.url, await createStaff(db, { username: `c06.${unique()}`, role: "unit_head", unit: "C06" }), "en", consoleErrors);
  await head.goto(`/staff/cases/${reference}?lng=en`);
  await head.getByRole("button", { name: "Accept" }).click();
  await expect(head.locator("dl")).toContainText("Accepted");
  await head.getByLabel("Answer to the citizen (the citizen sees it)").fill(CHINESE_REPLY);
  await head.getByRole("button", { name: "Send the answer" }).click();
  await expect(head.locator("dl")).toContainText("Answered");
  await head.context().close();

  await page.goto("/track?lng=ug");
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.locator("#reference").fill(reference);
  await page.locator("#code").fill(code);
  await page.locator("form button[type=submit]").click();
  const reply = page.getByTestId("reply");
  await expect(reply).toHaveText(CHINESE_REPLY);
  await expect(reply).toHaveAttribute("lang", "zh-Hans");
  expect(await direction(reply)).toBe("ltr");
  expect((await reply.textContent())!.at(0)).toBe("已");
  // Drawn left to right (on a phone over two lines): 已 starts the first line at the left edge,
  // the full stop follows 短 on its right.
  const start = await positions(reply, "已", "。");
  expect(start.first.left).toBeCloseTo(start.box.left, 0);
  const end = await positions(reply, "短", "。");
  expect(end.first.top).toBe(end.last.top);
  expect(end.first.left).toBeLessThan(end.last.left);
  // The reply in the timeline is laid out the same way.
  const inTimeline = page.locator(".timeline .reply-text", { hasText: CHINESE_REPLY });
  expect(await direction(inTimeline)).toBe("ltr");
  expect(consoleErrors).toEqual([]);
});

test("a Uyghur complaint on the Chinese case page reads right to left, and the clerk is told it is Uyghur", async ({ page, browser, server, db, consoleErrors, axe }) => {
  const { reference } = await file(page, "D03", UYGHUR);
  const staff = await staffPage(browser, server.url, await createStaff(db, { username: `d03.${unique()}`, role: "unit_staff", unit: "D03" }), "zh-Hans", consoleErrors);
  await staff.goto(`/staff/cases/${reference}?lng=zh-Hans`);
  await hydrated(staff);
  await expect(staff.locator("html")).toHaveAttribute("dir", "ltr");
  const description = staff.getByTestId("description");
  await expect(description).toHaveText(UYGHUR);
  // Filed from the English page, written in Uyghur: the letters decide.
  await expect(description).toHaveAttribute("lang", "ug");
  expect(await direction(description)).toBe("rtl");
  // Drawn right to left (on a phone over two lines): the first word starts the first line at the
  // right edge, the full stop follows the last word on its left.
  const start = await positions(description, "كۆزنەكتە", ".");
  expect(start.first.right).toBeCloseTo(start.box.right, 0);
  const end = await positions(description, "ئىدى", ".");
  expect(end.first.top).toBe(end.last.top);
  expect(end.first.left).toBeGreaterThan(end.last.left);
  await expect(staff.locator(".written-in")).toHaveText("书写语言：维吾尔文");
  await axe(staff);
  await staff.context().close();
  expect(consoleErrors).toEqual([]);
});

test("on the Uyghur case page a typed date keeps its order and the page's dates read as Uyghur writes them", async ({ page, browser, server, db, consoleErrors }) => {
  const { reference } = await file(page, "D04", "The counter closed an hour early without notice.", TYPED_WHEN);
  const staff = await staffPage(browser, server.url, await createStaff(db, { username: `d04.${unique()}`, role: "unit_staff", unit: "D04" }), "ug", consoleErrors);
  await staff.goto(`/staff/cases/${reference}?lng=ug`);
  await hydrated(staff);
  await expect(staff.locator("html")).toHaveAttribute("dir", "rtl");

  const when = staff.getByText(TYPED_WHEN, { exact: true });
  expect(await direction(when)).toBe("ltr");
  const typed = await positions(when, "2026", "09:00");
  expect(typed.first.top).toBe(typed.last.top);
  expect(typed.first.left).toBeLessThan(typed.last.left); // not "09:00 2026-11-27"
  await expect(staff.getByTestId("description")).toHaveAttribute("lang", "en");

  // The submission time: day and Uyghur month name, year, time, read from the right.
  const submitted = staff.locator(`dl.credentials dt:text-is("${ug.staff.queue.submitted}") + dd`);
  const text = (await submitted.textContent())!;
  expect(text).toMatch(/^\d{1,2}-(يانۋار|فېۋرال|مارت|ئاپرېل|ماي|ئىيۇن|ئىيۇل|ئاۋغۇست|سېنتەبىر|ئۆكتەبىر|نويابىر|دېكابىر)، \d{4}، \d{2}:\d{2}$/);
  expect(await direction(submitted)).toBe("rtl");
  const day = text.split("-")[0]!;
  const time = text.slice(-5);
  const drawn = await positions(submitted, day, time);
  // The day comes first: on the right of the time on one line, or on an earlier line on a phone.
  if (drawn.first.top === drawn.last.top) expect(drawn.first.left).toBeGreaterThan(drawn.last.left);
  else expect(drawn.first.top).toBeLessThan(drawn.last.top);
  await staff.context().close();
  expect(consoleErrors).toEqual([]);
});
