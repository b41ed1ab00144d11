// 差评整改 and 申诉 (issue 14) in the browser: the office opens a rectification record from the
// suggestions, the unit head writes the cause and measures, the office returns them then accepts
// and publishes them; a head appeals two ratings through their comments, the office upholds one
// (the rating is excluded, visible in the unit's counts, and the live figures still equal the
// audit recomputation) and rejects the other (nothing changes). Bad input keeps what was typed;
// another unit's head can neither see nor act. Each test uses a period and a department of its
// own, so no other test's figures move.
import { expect, hydrated, test } from "./support/fixtures";
import { addRectification, ownPeriodAndUnit, rebuildScores } from "./support/rectification";
import { staffPage } from "./support/complaints";
import { createStaff } from "./support/staff";

const unique = () => Math.random().toString(36).slice(2, 8).toUpperCase();

test("the office opens a record from the suggestions; the head writes; the office returns, then accepts and publishes it", async ({ browser, server, db, axe, consoleErrors }) => {
  test.setTimeout(120_000);
  const tag = unique();
  const own = ownPeriodAndUnit(server, db, tag, { count: 12, grade: 1, comments: [] });
  const office = await staffPage(browser, server.url, await createStaff(db, { username: `rect.office.${tag.toLowerCase()}`, role: "office" }));
  const head = await staffPage(browser, server.url, await createStaff(db, { username: `rect.head.${tag.toLowerCase()}`, role: "unit_head", unit: own.unitCode }));
  const staff = await staffPage(browser, server.url, await createStaff(db, { username: `rect.staff.${tag.toLowerCase()}`, role: "unit_staff", unit: own.unitCode }));
  const otherHead = await staffPage(browser, server.url, await createStaff(db, { username: `rect.c01head.${tag.toLowerCase()}`, role: "unit_head", unit: "C01" }));

  // The suggestions: every item of the unit is 100% dissatisfied over 12 answers; the worst three are offered.
  await office.goto(`/staff/rectifications?period=${own.periodCode}&lng=en`);
  await hydrated(office);
  const suggestions = office.getByTestId("rectification-candidates").locator(`li[data-unit="${own.unitCode}"]`);
  await expect(suggestions).toHaveCount(3);
  await expect(suggestions.first()).toContainText(`${own.unitName}:`);
  await expect(suggestions.first()).toContainText("100% dissatisfied (12 of 12)");
  await axe(office);
  await suggestions.first().getByRole("button", { name: "Open a record" }).click();
  await expect(office.getByRole("status").filter({ hasText: /Record #\d+ opened/ })).toBeVisible();
  await expect(suggestions).toHaveCount(2);
  const record = db.prepare(`SELECT id, status, dueAt, openedAt FROM Rectification WHERE unitId = ?`).get(own.unitId) as { id: number; status: string; dueAt: string; openedAt: string };
  await expect(office.locator(`tr[data-rectification="${record.id}"]`)).toContainText("Awaiting the unit");
  expect(record.status).toBe("open");
  // Due 15 working days later: at least three weeks of calendar.
  expect(Date.parse(record.dueAt) - Date.parse(record.openedAt)).toBeGreaterThan(20 * 86_400_000);
  const url = `/staff/rectifications/${record.id}?lng=en`;

  // Another unit's head: as if it did not exist, and a post changes nothing.
  const refused = await otherHead.goto(url);
  expect(refused?.status()).toBe(404);
  const post = await otherHead.request.post(`/staff/rectifications/${record.id}`, { form: { intent: "submit", cause: "someone else's cause", measures: "someone else's measures" }, headers: { origin: server.url } });
  expect(post.status()).toBe(404);
  // The unit's staff read it, without the form.
  await staff.goto(url);
  await expect(staff.getByTestId("rectification-status")).toHaveText("Awaiting the unit");
  await expect(staff.getByLabel("Cause found")).toHaveCount(0);

  // The head: bad input keeps what was typed, with the message at the field.
  await head.goto(url);
  await hydrated(head);
  await head.getByLabel("Cause found").fill("排队系统两周故障，未及时报修");
  await head.getByLabel("Measures taken").fill("培训");
  await head.getByRole("button", { name: "Submit for verification" }).click();
  await expect(head.getByText("Please write the measures taken (at least 10 characters).").first()).toBeVisible();
  await expect(head.getByLabel("Cause found")).toHaveValue("排队系统两周故障，未及时报修");
  await expect(head.getByLabel("Measures taken")).toHaveValue("培训");
  await expect(head.getByLabel("Measures taken")).toHaveAttribute("aria-invalid", "true");
  await axe(head);
  await head.getByLabel("Measures taken").fill("更换叫号机；对窗口人员开展服务培训");
  await head.getByRole("button", { name: "Submit for verification" }).click();
  await expect(head.getByTestId("rectification-status")).toHaveText("Awaiting verification");

  // The office returns it with a note; the head sees the note and revises.
  await office.goto(url);
  await hydrated(office);
  await office.getByRole("button", { name: "Return for revision" }).click();
  await expect(office.getByText("Please say what is missing (at least 5 characters) when returning.").first()).toBeVisible();
  await office.getByLabel("Note").fill("请写明培训的时间和人数");
  await office.getByRole("button", { name: "Return for revision" }).click();
  await expect(office.getByTestId("rectification-status")).toHaveText("Returned for revision");
  await head.goto(url);
  await expect(head.getByText("请写明培训的时间和人数")).toBeVisible();
  await expect(head.getByLabel("Measures taken")).toHaveValue("更换叫号机；对窗口人员开展服务培训");
  const measures = `十月十二日更换叫号机，对全部12名窗口人员开展服务培训 ${tag}`;
  await head.getByLabel("Measures taken").fill(measures);
  await head.getByRole("button", { name: "Submit for verification" }).click();
  await expect(head.getByTestId("rectification-status")).toHaveText("Awaiting verification");

  // Accepted, then published; every step audited.
  await office.goto(url);
  await office.getByRole("button", { name: "Accept" }).click();
  await expect(office.getByTestId("rectification-status")).toHaveText("Accepted");
  await office.getByRole("button", { name: "Publish on the unit's public page" }).click();
  await expect(office.getByTestId("rectification-status")).toContainText("Accepted · published");
  const stored = db.prepare(`SELECT status, measures, submissions, publishedAt FROM Rectification WHERE id = ?`).get(record.id) as { status: string; measures: string; submissions: number; publishedAt: string | null };
  expect(stored).toMatchObject({ status: "accepted", measures, submissions: 2 });
  expect(stored.publishedAt).not.toBeNull();
  const actions = (db.prepare(`SELECT action FROM AuditEvent WHERE targetType = 'rectification' AND targetId = ? ORDER BY id`).all(String(record.id)) as { action: string }[]).map((a) => a.action);
  expect(actions).toEqual(["rectification.open", "rectification.submit", "rectification.return", "rectification.submit", "rectification.accept", "rectification.publish"]);
  await office.goto(`/staff/rectifications?period=${own.periodCode}&lng=en`);
  await expect(office.locator(`tr[data-rectification="${record.id}"]`)).toContainText("Accepted · published");
  expect(consoleErrors).toEqual([]);
});

test("an appeal upheld excludes the rating (visible in the counts), another rejected changes nothing; another unit's head cannot act", async ({ browser, server, db, axe, consoleErrors }) => {
  test.setTimeout(120_000);
  const tag = unique();
  const comments = [`窗口没人，等了两个小时 ${tag}`, `这个单位办事太慢 ${tag}`];
  const own = ownPeriodAndUnit(server, db, tag, { count: 12, grade: 2, comments });
  const office = await staffPage(browser, server.url, await createStaff(db, { username: `appeal.office.${tag.toLowerCase()}`, role: "office" }));
  const head = await staffPage(browser, server.url, await createStaff(db, { username: `appeal.head.${tag.toLowerCase()}`, role: "unit_head", unit: own.unitCode }));
  const otherHead = await staffPage(browser, server.url, await createStaff(db, { username: `appeal.c01head.${tag.toLowerCase()}`, role: "unit_head", unit: "C01" }));
  const scoresUrl = `/staff/scores/${own.unitCode}?period=${own.periodCode}&lng=en`;

  async function appeal(comment: string, evidence: string) {
    await head.goto(scoresUrl);
    const item = head.locator("ul.comments li", { hasText: comment });
    // The head never sees the response's number.
    await expect(item).not.toContainText("#");
    await item.getByRole("link", { name: "Appeal this rating" }).click();
    await hydrated(head);
    await expect(head.locator("blockquote", { hasText: comment })).toBeVisible();
    return head.url();
  }

  // Bad input: the message at each field, what was typed kept.
  const formUrl = await appeal(comments[0]!, "");
  await head.getByLabel("Grounds").selectOption("malicious");
  await head.getByLabel("Evidence").fill("监控");
  await head.getByRole("button", { name: "File the appeal" }).click();
  await expect(head.getByText("Please describe the evidence (at least 10 characters).").first()).toBeVisible();
  await expect(head.getByLabel("Grounds")).toHaveValue("malicious");
  await expect(head.getByLabel("Evidence")).toHaveValue("监控");
  await axe(head);
  await head.getByLabel("Evidence").fill("监控录像显示当天该时段窗口有两名工作人员值守");
  await head.getByRole("button", { name: "File the appeal" }).click();
  await expect(head.getByRole("status").filter({ hasText: /Appeal #\d+ filed/ })).toBeVisible();
  await appeal(comments[1]!, "");
  await head.getByLabel("Grounds").selectOption("mistaken");
  await head.getByLabel("Evidence").fill("评价内容指向另一个单位的窗口，非本单位");
  await head.getByRole("button", { name: "File the appeal" }).click();
  await expect(head.getByRole("status").filter({ hasText: /Appeal #\d+ filed/ })).toBeVisible();
  const appeals = db.prepare(`SELECT id, responseId FROM Appeal WHERE unitId = ? ORDER BY id`).all(own.unitId) as { id: number; responseId: number }[];
  expect(appeals.map((a) => a.responseId)).toEqual([own.responseIds[0], own.responseIds[1]]);

  // Another unit's head: cannot see the appeal, nor appeal this unit's comments.
  expect((await otherHead.goto(`/staff/appeals/${appeals[0]!.id}?lng=en`))?.status()).toBe(404);
  expect((await otherHead.goto(formUrl))?.status()).toBe(403);
  const foreignPost = await otherHead.request.post(`/staff/appeals/${appeals[0]!.id}`, { form: { decision: "uphold", note: "not my unit's to decide" }, headers: { origin: server.url } });
  expect(foreignPost.status()).toBe(404);
  // The head cannot decide its own appeal.
  const ownDecision = await head.request.post(`/staff/appeals/${appeals[0]!.id}`, { form: { decision: "uphold", note: "deciding my own appeal" }, headers: { origin: server.url } });
  expect(ownDecision.status()).toBe(403);

  const counts = async () => {
    await office.goto(scoresUrl);
    return (await office.locator("#own-title").locator("..").textContent()) ?? "";
  };
  const before = await counts();
  expect(before).toContain("12 counted responses");
  expect(before).not.toContain("Excluded by the office");

  // Rejected: a note is required; nothing but the appeal changes.
  const tallies = () => JSON.stringify(db.prepare(`SELECT * FROM ScoreTally WHERE periodId = ? ORDER BY unitId, month, flags, k`).all(own.periodId));
  const talliesBefore = tallies();
  await office.goto(`/staff/appeals/${appeals[1]!.id}?lng=en`);
  await hydrated(office);
  await office.getByRole("button", { name: "Reject the appeal" }).click();
  await expect(office.getByText("Please write a note (at least 5 characters).").first()).toBeVisible();
  await office.getByLabel("The office's note").fill("无法核实评价对象");
  await office.getByRole("button", { name: "Reject the appeal" }).click();
  await expect(office.getByTestId("appeal-status")).toContainText("Rejected");
  expect(tallies()).toBe(talliesBefore);
  expect(await counts()).toContain("12 counted responses");

  // Upheld: the response is excluded with the appeal as its reason, counted, audited.
  await office.goto(`/staff/appeals/${appeals[0]!.id}?lng=en`);
  await expect(office.getByText("监控录像显示当天该时段窗口有两名工作人员值守")).toBeVisible();
  await axe(office);
  await office.getByLabel("The office's note").fill("录像证据属实");
  await office.getByRole("button", { name: "Uphold and exclude the rating" }).click();
  await expect(office.getByTestId("appeal-status")).toContainText("Upheld: the rating is excluded");
  await expect(office.getByTestId("appeal-status")).toContainText("excluded from the scores");
  const flag = db.prepare(`SELECT note FROM ResponseFlag WHERE responseId = ? AND flag = 'excluded'`).get(own.responseIds[0]) as { note: string };
  expect(flag.note).toBe(`appeal #${appeals[0]!.id}: 录像证据属实`);
  const after = await counts();
  expect(after).toContain("11 counted responses");
  expect(after).toContain("Excluded by the office: 1");
  // The unit's own head sees the same counts and the decision.
  await head.goto(scoresUrl);
  await expect(head.locator("#own-title").locator("..")).toContainText("Excluded by the office: 1");
  await head.goto(`/staff/appeals?lng=en`);
  await expect(head.locator(`tr[data-appeal="${appeals[0]!.id}"]`)).toContainText("Upheld: the rating is excluded");
  await expect(head.locator(`tr[data-appeal="${appeals[1]!.id}"]`)).toContainText("Rejected");
  // The live figures equal the audit recomputation from the raw responses.
  expect(rebuildScores(server, own.periodCode, false)).toContain("live figures equal the recomputation");
  const audit = (db.prepare(`SELECT action FROM AuditEvent WHERE (targetType = 'appeal' AND targetId IN (?, ?)) OR (targetType = 'response' AND targetId = ?) ORDER BY id`).all(String(appeals[0]!.id), String(appeals[1]!.id), String(own.responseIds[0])) as { action: string }[]).map((a) => a.action);
  expect(audit).toEqual(["appeal.file", "appeal.file", "appeal.reject", "response.exclude", "appeal.uphold"]);
  // Reversible: the usual reinstatement, from the appeal's page; the rating counts again.
  await office.goto(`/staff/appeals/${appeals[0]!.id}?lng=en`);
  await hydrated(office);
  await office.getByRole("button", { name: "Reinstate the rating" }).click();
  await expect(office.getByText("Please write a note (at least 5 characters).").first()).toBeVisible();
  await office.getByLabel("Why the rating counts again").fill("录像系伪造");
  await office.getByRole("button", { name: "Reinstate the rating" }).click();
  await expect(office.getByRole("status").filter({ hasText: "The rating counts again." })).toBeVisible();
  await expect(office.getByTestId("appeal-status")).toContainText("reinstated since: the rating counts again");
  const reinstated = await counts();
  expect(reinstated).toContain("12 counted responses");
  expect(reinstated).not.toContain("Excluded by the office");
  expect(consoleErrors).toEqual([]);
});

test("a record the unit still owes past its due date is on the office's overdue page, one waiting for the office is not", async ({ browser, server, db, consoleErrors }) => {
  const tag = unique();
  const own = ownPeriodAndUnit(server, db, tag, { count: 1, grade: 4, comments: [] });
  const late = addRectification(db, { unit: own.unitCode, period: own.periodCode, itemKey: "q_efficiency", dueInDays: -2 });
  const waiting = addRectification(db, { unit: own.unitCode, period: own.periodCode, itemKey: "q_attitude", status: "submitted", dueInDays: -2 });
  const office = await staffPage(browser, server.url, await createStaff(db, { username: `overdue.office.${tag.toLowerCase()}`, role: "office" }));
  await office.goto("/staff/overdue?lng=en");
  const list = office.getByTestId("overdue-rectifications");
  await expect(list.locator(`a[href="/staff/rectifications/${late}"]`)).toContainText(own.unitName);
  await expect(list.locator("li", { has: office.locator(`a[href="/staff/rectifications/${late}"]`) })).toContainText("Awaiting the unit");
  await expect(list.locator(`a[href="/staff/rectifications/${waiting}"]`)).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});
