// E-mail through a real SMTP server (issue 13): the test servers send to the run's aiosmtpd sink
// (global-setup.ts), and these tests read what arrived. Citizens who file in Chinese, Uyghur and
// Kazakh get "complaint received" in their language, from MAIL_FROM, with the Message-ID their
// Notification row keeps, a link that opens their complaint, and nobody else's contact details.
import fs from "node:fs";
import path from "node:path";
import { pickText } from "../../app/domain/localized";
import { expect, hydrated, test } from "./support/fixtures";
import { type Mail, TEST_MAIL_FROM, waitForMail } from "./support/mail";
import { projectRoot } from "./support/paths";

type Lang = "zh-Hans" | "ug" | "kk";
const locale = (lang: Lang) => JSON.parse(fs.readFileSync(path.join(projectRoot, `locales/${lang}/common.json`), "utf8"));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A locale text with its {{placeholders}}: the given values filled in, {{url}} captured. */
function pattern(text: string, vars: Record<string, string>): RegExp {
  const parts = text.split(/(\{\{\w+\}\})/);
  return new RegExp(
    `^${parts.map((p) => {
      const name = /^\{\{(\w+)\}\}$/.exec(p)?.[1];
      if (!name) return escape(p);
      return name === "url" ? "(\\S+)" : escape(vars[name]!);
    }).join("")}$`,
  );
}

const descriptions: Record<Lang, string> = {
  "zh-Hans": "办理纳税证明等了三个星期，窗口一直说系统故障。",
  ug: "باج ئىسپاتى ئۈچۈن ئۈچ ھەپتە ساقلىدىم، كۆزنەكتىكىلەر سىستېما بۇزۇلدى دەۋەردى.",
  kk: "سالىق انىقتاماسىن ٴۇش اپتا كۇتتىم، تەرەزەدە جۇيە ىستەمەي تۇر دەي بەردى.",
};

test("citizens who file in Chinese, Uyghur and Kazakh get 'complaint received' in their language, with the row's Message-ID and only their own contact", async ({ page, db, server }, testInfo) => {
  test.setTimeout(60_000);
  const tag = `${Date.now()}.${testInfo.project.name}.${Math.floor(Math.random() * 1e6)}`;
  const citizens = (["zh-Hans", "ug", "kk"] as const).map((lang, i) => ({
    lang,
    email: `mail.${lang.toLowerCase()}.${tag}@example.cn`,
    // Distinct mobile numbers, unlikely to be anyone else's in the shared sink.
    phone: `139${String(Date.now() + i).slice(-8)}`,
  }));

  const filed: { reference: string }[] = [];
  for (const c of citizens) {
    const t = locale(c.lang).complaint;
    await page.goto(`/complaints/new?lng=${c.lang}&unit=D12`);
    await hydrated(page);
    await page.getByLabel(new RegExp(escape(t.type.slow_action))).check();
    await page.getByLabel(t.field.description).fill(descriptions[c.lang]);
    await page.getByLabel(t.anonymous.no).check();
    await page.getByLabel(t.field.contactPhone).fill(c.phone);
    await page.getByLabel(t.field.contactEmail).fill(c.email);
    await page.getByLabel(t.field.consent).check();
    await page.getByRole("button", { name: t.new.submit }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t.filed.title);
    filed.push({ reference: (await page.getByTestId("reference").textContent())!.trim() });
  }

  const unitNames = (db.prepare(`SELECT names FROM Unit WHERE code = 'D12'`).get() as { names: string }).names;
  for (const [i, c] of citizens.entries()) {
    const { reference } = filed[i]!;
    const n = locale(c.lang).notify;
    const [mail, ...more] = await waitForMail(c.email);
    expect(more, "one message per address").toEqual([]);
    const m = mail as Mail;

    // In the citizen's language, about their complaint.
    expect(m.subject).toBe(n.complaintReceived.subject.replace("{{reference}}", reference));
    const [first, ...rest] = m.text.trim().split("\n\n");
    const unit = pickText(JSON.parse(unitNames), c.lang, "zh-Hans");
    const url = pattern(n.complaintReceived.body, { reference, unit }).exec(first!)?.[1];
    expect(url, `body of the ${c.lang} message:\n${m.text}`).toBeTruthy();
    // Then why it came (and how to stop them).
    expect(rest.join("\n\n")).toContain(n.emailFooter);
    // The HTML alternative: the same message in the language's direction, the link clickable.
    expect(m.html).toContain(`<html lang="${c.lang}" dir="${c.lang === "zh-Hans" ? "ltr" : "rtl"}">`);
    expect(m.html).toContain(`<a href="${url}" dir="ltr">`);

    // The stored row: sent, with the message's own Message-ID.
    const row = db
      .prepare(`SELECT n.status, n.messageId, n.recipient FROM Notification n JOIN Complaint c ON c.id = n.complaintId WHERE c.reference = ? AND n.channel = 'email'`)
      .get(reference) as { status: string; messageId: string; recipient: string };
    expect(row.recipient).toBe(c.email);
    await expect.poll(() => (db.prepare(`SELECT status FROM Notification WHERE messageId = ?`).get(row.messageId) as { status: string }).status).toBe("sent");
    expect(m.messageId.replace(/^<|>$/g, "")).toBe(row.messageId.replace(/^<|>$/g, ""));
    expect(m.from).toBe(TEST_MAIL_FROM);
    expect(m.rcptTo).toEqual([c.email]);

    // Only this citizen's address (and the sender's) is in it; no other citizen's e-mail or phone.
    const visible = `${[...m.headers.values()].flat().join("\n")}\n${m.subject}\n${m.from}\n${m.text}`;
    const addresses = new Set((visible.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? []).map((a) => a.toLowerCase()));
    addresses.delete(c.email);
    addresses.delete("noreply@pingjia.example.gov.cn");
    // The Message-ID looks like an address: it is the platform's own, not a person's.
    addresses.delete(row.messageId.replace(/^<|>$/g, "").toLowerCase());
    expect([...addresses]).toEqual([]);
    const digits = `${m.subject}\n${m.text}\n${m.header("to") ?? ""}`.replace(/\D/g, "");
    for (const other of citizens) expect(digits).not.toContain(other.phone);
    for (const other of citizens.filter((o) => o !== c)) expect(m.raw.toLowerCase()).not.toContain(other.email);

    // The link in it opens the complaint's page on the platform.
    const response = await page.goto(new URL(url!, server.url).toString());
    expect(response!.status()).toBe(200);
    expect(await page.content()).toContain(reference);
  }
});
