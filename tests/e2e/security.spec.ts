// Security defects closed in issue 10, checked against the production server (docs/security.md).
// Raw requests (node:net) where a browser or Playwright would not send what an attacker can.
import net from "node:net";
import { expect, hydrated, startServer, test } from "./support/fixtures";
import { createStaff, signIn, STAFF_PASSWORD } from "./support/staff";
import type { TestDb } from "./support/db";

const unique = () => Math.random().toString(36).slice(2, 8);

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes as they are and reads the whole answer (the connection is closed after it). */
function raw(serverUrl: string, request: string): Promise<RawResponse> {
  const { hostname, port } = new URL(serverUrl);
  return new Promise((resolve, reject) => {
    // Written, not ended: the server closes the connection after its answer (Connection: close).
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error("timeout")));
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(":");
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") });
    });
  });
}

const hostOf = (url: string) => new URL(url).host;

/** A complaint stored directly (with its reference), for tests that need a case to exist. */
function insertComplaint(db: TestDb, opts: { unit: string; type?: string; subjectUnit?: string }): string {
  const unitId = (code: string) => (db.prepare("SELECT id FROM Unit WHERE code = ?").get(code) as { id: number }).id;
  const reference = `TS-2026-9${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`;
  const now = new Date().toISOString().replace("Z", "+00:00");
  db.prepare(
    `INSERT INTO Complaint (reference, accessCodeHash, unitId, subjectUnitId, type, status, description, lang, anonymous, consentAt, submittedAt, acceptDueAt, replyDueAt, createdAt, updatedAt)
     VALUES (?, 'x', ?, ?, ?, 'submitted', 'A complaint stored by a test.', 'en', 1, ?, ?, ?, ?, ?, ?)`,
  ).run(reference, unitId(opts.unit), unitId(opts.subjectUnit ?? opts.unit), opts.type ?? "other", now, now, now, now, now, now);
  return reference;
}

/** No stack trace, no file path of the server in an answer. */
function expectNoInternals(body: string) {
  expect(body).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/work\/|\.tsx?:\d+|TypeError|SyntaxError/);
}

test.describe("request line and Host (server/index.ts)", () => {
  test("methods other than GET, HEAD and POST get 405 with Allow, and store nothing", async ({ server, db }) => {
    const before = (db.prepare("SELECT COUNT(*) AS n FROM Complaint").get() as { n: number }).n;
    for (const method of ["PUT", "PATCH", "DELETE", "TRACE", "OPTIONS"]) {
      const body = "unit=C01&type=other&description=stored+by+a+PUT+request&anonymous=yes&consent=yes";
      const res = await raw(
        server.url,
        `${method} /complaints/new HTTP/1.1\r\nHost: ${hostOf(server.url)}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      expect(res.status, method).toBe(405);
      expect(res.headers.allow, method).toBe("GET, HEAD, POST");
      expectNoInternals(res.body);
    }
    expect((db.prepare("SELECT COUNT(*) AS n FROM Complaint").get() as { n: number }).n).toBe(before);
  });

  test("a missing or malformed Host gets 400, not 500", async ({ server }) => {
    const cases = [
      `GET / HTTP/1.0\r\n\r\n`,
      `GET / HTTP/1.1\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: evil example\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: a/b\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: host:99999\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n`,
      `POST /track HTTP/1.1\r\nHost: x@y\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      `GET http://evil.example/ HTTP/1.1\r\nHost: ${hostOf(server.url)}\r\nConnection: close\r\n\r\n`,
    ];
    for (const request of cases) {
      const res = await raw(server.url, request);
      expect(res.status, JSON.stringify(request)).toBe(400);
      expectNoInternals(res.body);
    }
    // The same server still answers a proper request.
    expect((await raw(server.url, `GET /healthz HTTP/1.1\r\nHost: ${hostOf(server.url)}\r\nConnection: close\r\n\r\n`)).status).toBe(200);
  });
});

test.describe("bodies and redirects", () => {
  test("a malformed multipart body gets the translated 400 page on every form", async ({ server }) => {
    const host = hostOf(server.url);
    const bodies = [
      ["multipart/form-data", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n"],
      ["multipart/form-data; boundary=other", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n"],
      ["multipart/form-data; boundary=XyZ", "\u0001\u0002 garbage, not multipart"],
    ];
    for (const path of ["/complaints/new?lng=en", "/track?lng=en", "/staff/login?lng=en", "/s/satisfaction-2026?unit=C01&lng=en"]) {
      for (const [type, body] of bodies) {
        const res = await raw(server.url, `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body!)}\r\nConnection: close\r\n\r\n${body}`);
        expect(res.status, `${path} ${type}`).toBe(400);
        expect(res.body).toContain("Request not understood");
        expectNoInternals(res.body);
      }
    }
  });

  test("sign-in's next only leads to this site; a CR/LF in it is no 500", async ({ server, db, playwright }) => {
    const username = await createStaff(db, { username: `next.${unique()}`, role: "unit_staff", unit: "C01" });
    const sessions = () => (db.prepare("SELECT COUNT(*) AS n FROM Session").get() as { n: number }).n;
    const api = await playwright.request.newContext({ baseURL: server.url });
    for (const next of ["/%5Cevil.example", "/%09/evil.example", "%2F%2Fevil.example", "/.//evil.example", "/staff%0D%0ASet-Cookie:%20x=1", "https://evil.example/"]) {
      const before = sessions();
      const res = await api.post(`/staff/login?next=${next}`, { form: { username, password: STAFF_PASSWORD }, maxRedirects: 0 });
      expect(res.status(), next).toBe(303);
      expect(res.headers().location, next).toBe("/staff");
      expect(sessions()).toBe(before + 1);
    }
    const ok = await api.post(`/staff/login?next=${encodeURIComponent("/staff/calendar?x=1")}`, { form: { username, password: STAFF_PASSWORD }, maxRedirects: 0 });
    expect(ok.headers().location).toBe("/staff/calendar?x=1");
    await api.dispose();
  });
});

test.describe("ids in URLs and forms (app/domain/ids.ts)", () => {
  const unbounded = ["1e300", "99999999999999999999", "0x10", "-1", "1.5", "01"];

  test("the office's photo, reviewer, token and audit pages answer 404 or 400 to 1e300, never 500", async ({ page, db }) => {
    await signIn(page, await createStaff(db, { username: `office.${unique()}`, role: "office" }));
    const reference = insertComplaint(db, { unit: "C01" });
    expect((await page.request.get(`/staff/cases/${reference}`)).status()).toBe(200);
    for (const id of unbounded) {
      const photo = await page.request.get(`/staff/cases/${reference}/photos/${id}`);
      expect(photo.status(), `photo ${id}`).toBe(404);
      expectNoInternals(await photo.text());
      const reviewers = await page.request.post("/staff/reviewers?lng=en", { form: { intent: "grant", userId: id } });
      expect(reviewers.status(), `reviewer ${id}`).toBe(400);
      const tokens = await page.request.post("/staff/tokens?lng=en", { form: { intent: "revoke", id } });
      expect(tokens.status(), `token ${id}`).toBe(400);
      expect((await page.request.get(`/staff/audit?actor=${id}`)).status(), `audit ${id}`).toBe(200);
    }
  });

  test("an administrator's account page answers 404 to 1e300, never 500", async ({ page, db }) => {
    await signIn(page, await createStaff(db, { username: `admin.${unique()}`, role: "admin" }));
    for (const id of unbounded) {
      const res = await page.request.get(`/staff/accounts/${id}?lng=en`);
      expect(res.status(), `account ${id}`).toBe(404);
      expect(await res.text()).toContain("Page not found");
    }
  });
});

test.describe("guessing limits", () => {
  test("wrong current passwords on /staff/password get 429 with Retry-After and a translated message", async ({ page, db }) => {
    await signIn(page, await createStaff(db, { username: `pw.${unique()}`, role: "unit_staff", unit: "C01" }));
    const change = (current: string) => page.request.post("/staff/password?lng=en", { form: { current, password: "a brand new long password", repeat: "a brand new long password" } });
    for (let i = 0; i < 5; i++) expect((await change(`wrong guess ${i}`)).status()).toBe(400);
    const blocked = await change(STAFF_PASSWORD);
    expect(blocked.status()).toBe(429);
    expect(Number(blocked.headers()["retry-after"])).toBeGreaterThan(0);
    expect(await blocked.text()).toContain("Too many wrong current passwords");
    // Even the right password is not tried while blocked: it is unchanged.
    const hash = (db.prepare("SELECT passwordHash FROM StaffUser WHERE username LIKE 'pw.%' ORDER BY id DESC").get() as { passwordHash: string }).passwordHash;
    const { verifyPassword } = await import("../../app/lib/password.server");
    expect(await verifyPassword(hash, STAFF_PASSWORD)).toBe(true);
  });

  test.describe("from several networks (a server behind a trusted proxy)", () => {
    let proxied: Awaited<ReturnType<typeof startServer>>;
    test.beforeAll(async ({}, testInfo) => {
      proxied = await startServer(`proxied-${testInfo.parallelIndex}`, { TRUST_PROXY: "1", INSECURE_COOKIES: "1" });
    });
    test.afterAll(() => proxied?.stop());

    test("/track: wrong codes from network A do not block network B for the same reference", async ({ playwright }) => {
      const a = await playwright.request.newContext({ baseURL: proxied.url, extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.1" } });
      const b = await playwright.request.newContext({ baseURL: proxied.url, extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.2" } });
      const filed = await b.post("/complaints/new?lng=en", {
        form: { unit: "D12", type: "slow_action", description: "Waited three weeks for a tax certificate.", anonymous: "yes", consent: "yes" },
      });
      expect(filed.status()).toBe(200);
      const html = await filed.text();
      const reference = /data-testid="reference">([^<]+)</.exec(html)![1]!;
      const code = /data-testid="code">([^<]+)</.exec(html)![1]!;
      const track = (ctx: typeof a, c: string) => ctx.post("/track?lng=en", { form: { reference, code: c, intent: "view" } });
      for (let i = 0; i < 10; i++) expect((await track(a, "AAAAAAAA")).status()).toBe(404);
      const blocked = await track(a, code);
      expect(blocked.status()).toBe(429);
      expect(Number(blocked.headers()["retry-after"])).toBeGreaterThan(0);
      expect(await blocked.text()).toContain("Too many wrong attempts");
      // The citizen, from another network, still gets in; a wrong code there is an ordinary 404.
      expect((await track(b, code)).status()).toBe(200);
      expect((await track(b, "BBBBBBBB")).status()).toBe(404);
      await a.dispose();
      await b.dispose();
    });

    test("the API: bogus tokens from one network get 429 after 30 a minute, with one log row for the flood", async ({ playwright }) => {
      const Database = (await import("better-sqlite3")).default;
      const db = new Database(proxied.dbFile);
      const count = () => (db.prepare("SELECT COUNT(*) AS n FROM ApiCall").get() as { n: number }).n;
      const before = count();
      const flood = await playwright.request.newContext({ baseURL: proxied.url, extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.66", Authorization: "Bearer cst_bogus" } });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        const res = await flood.get("/api/v1/periods");
        statuses.push(res.status());
        expect(res.headers()["x-content-type-options"]).toBe("nosniff");
      }
      expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
      expect(statuses.slice(30)).toEqual(Array(30).fill(429));
      expect(count() - before).toBe(31);
      const other = await playwright.request.newContext({ baseURL: proxied.url, extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.67", Authorization: "Bearer cst_bogus" } });
      expect((await other.get("/api/v1/periods")).status()).toBe(401);
      await flood.dispose();
      await other.dispose();
      db.close();
    });
  });
});

test.describe("the access code is shown once (/complaints/filed)", () => {
  test("the page is not cached, clears its cookie, and a second visit does not show the code", async ({ page }) => {
    await page.goto("/complaints/new?lng=en&unit=D12");
    await hydrated(page);
    await page.getByLabel("Slow action (慢作为)").check();
    await page.getByLabel("What happened?").fill("Waited three weeks for a tax certificate.");
    await page.getByLabel("No, stay anonymous").check();
    await page.getByLabel(/I confirm/).check();
    const shown = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith("/complaints/filed") && r.status() === 200);
    await page.getByRole("button", { name: "Send the complaint" }).click();
    const answer = await shown;
    expect(answer.headers()["cache-control"]).toBe("no-store");
    expect(await answer.headerValue("set-cookie")).toMatch(/filed=;.*Max-Age=0/i);
    const code = (await page.getByTestId("code").textContent())!;
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    // A reload (or Back, or another visit) no longer has it.
    await page.reload();
    await expect(page).toHaveURL(/\/track/);
    expect(await page.content()).not.toContain(code);
    const again = await page.request.get("/complaints/filed", { maxRedirects: 0 });
    expect(again.status()).toBe(302);
    expect(again.headers().location).toBe("/track");
    expect(await again.text()).not.toContain(code);
  });

  test("without JavaScript too", async ({ browser, server }) => {
    const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/complaints/new?lng=en&unit=D12");
    await page.getByLabel("Slow action (慢作为)").check();
    await page.getByLabel("What happened?").fill("Waited three weeks for a tax certificate.");
    await page.getByLabel("No, stay anonymous").check();
    await page.getByLabel(/I confirm/).check();
    const shown = page.waitForResponse((r) => new URL(r.url()).pathname === "/complaints/filed" && r.status() === 200);
    await page.getByRole("button", { name: "Send the complaint" }).click();
    expect((await shown).headers()["cache-control"]).toBe("no-store");
    const code = (await page.getByTestId("code").textContent())!;
    await page.goto("/complaints/filed");
    await expect(page).toHaveURL(/\/track/);
    expect(await page.content()).not.toContain(code);
    await context.close();
  });
});

test.describe("headers and origins", () => {
  test("HEAD answers carry the CSP and frame options of GET", async ({ server }) => {
    for (const path of ["/", "/staff/login", "/s/satisfaction-2026?unit=C01", "/no-such-page"]) {
      const res = await raw(server.url, `HEAD ${path} HTTP/1.1\r\nHost: ${hostOf(server.url)}\r\nConnection: close\r\n\r\n`);
      expect(res.headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
      expect(res.headers["x-frame-options"], path).toBe("DENY");
      expect(res.headers["x-content-type-options"], path).toBe("nosniff");
      expect(res.body).toBe("");
    }
    const staff = await raw(server.url, `HEAD /staff/login HTTP/1.1\r\nHost: ${hostOf(server.url)}\r\nConnection: close\r\n\r\n`);
    expect(staff.headers["cache-control"]).toBe("no-store");
  });

  test("CSV, JSON and API answers are nosniff; staff pages are no-store", async ({ page, db, request }) => {
    for (const path of ["/api/v1/units", "/api/v1/periods", "/healthz"]) {
      expect((await request.get(path)).headers()["x-content-type-options"], path).toBe("nosniff");
    }
    await signIn(page, await createStaff(db, { username: `hdr.${unique()}`, role: "office" }));
    for (const path of ["/staff/periods/2026/scores.csv", "/staff/surveys/satisfaction-2026/results.csv", "/staff/surveys/satisfaction-2026/export.json"]) {
      const res = await page.request.get(path);
      expect(res.status(), path).toBe(200);
      expect(res.headers()["x-content-type-options"], path).toBe("nosniff");
    }
    for (const path of ["/staff", "/staff/calendar", "/staff/scores", "/staff/surveys"]) {
      const res = await page.request.get(path);
      expect(res.headers()["cache-control"], path).toBe("no-store");
      expect(res.headers()["content-type"], path).toContain("text/html");
    }
    const data = await page.request.get("/staff/calendar.data");
    expect(data.headers()["cache-control"]).toBe("no-store");
  });

  test("a post from another scheme on the same host is cross-site (403, translated)", async ({ server }) => {
    const url = new URL(server.url);
    const body = "reference=TS-2026-000001&code=AAAAAAAA&intent=view";
    for (const origin of [`https://${url.host}`, `ftp://${url.host}`]) {
      const res = await raw(server.url, `POST /track?lng=en HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${origin}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      expect(res.status, origin).toBe(403);
      expect(res.body).toContain("The form was sent from another website");
    }
    const same = await raw(server.url, `POST /track?lng=en HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    expect(same.status).toBe(404);
  });

  test("the calendar refuses 2026-02-30 with a translated error and stores nothing", async ({ page, db }) => {
    await signIn(page, await createStaff(db, { username: `cal.${unique()}`, role: "office" }));
    const res = await page.request.post("/staff/calendar?lng=en", { form: { intent: "day", date: "2026-02-30", kind: "holiday" } });
    expect(res.status()).toBe(400);
    expect(await res.text()).toContain("This date does not exist");
    expect(db.prepare("SELECT COUNT(*) AS n FROM CalendarDay WHERE date = '2026-02-30'").get()).toEqual({ n: 0 });
  });
});

test("a photo above 40 megapixels is refused with a translated error before it is decoded", async ({ request, db }) => {
  const sharp = (await import("sharp")).default;
  const bomb = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: "#7a5230" } }).png({ compressionLevel: 9 }).toBuffer();
  const before = (db.prepare("SELECT COUNT(*) AS n FROM Complaint").get() as { n: number }).n;
  const res = await request.post("/complaints/new?lng=en&unit=D12", {
    multipart: {
      unit: "D12",
      type: "slow_action",
      description: "A photo of the queue at the counter.",
      anonymous: "yes",
      consent: "yes",
      photos: { name: "queue.png", mimeType: "image/png", buffer: bomb },
    },
  });
  expect(res.status()).toBe(400);
  expect(await res.text()).toContain("Each photo may have at most 40 megapixels");
  expect((db.prepare("SELECT COUNT(*) AS n FROM Complaint").get() as { n: number }).n).toBe(before);
});

test("a unit's own staff do not see integrity complaints against it counted on their unit page; the office does", async ({ browser, server, db }) => {
  // D07 is no other test's: its page's figures are cached for a minute once drawn.
  insertComplaint(db, { unit: "D07", type: "integrity" });
  insertComplaint(db, { unit: "D07", type: "slow_action" });
  const page = async (role: string, unit?: string) => {
    const context = await browser.newContext({ baseURL: server.url });
    const p = await context.newPage();
    await signIn(p, await createStaff(db, { username: `vol.${unique()}`, role, unit }));
    // The demo period: other tests in this worker may add and close periods of their own.
    await p.goto("/staff/scores/D07?period=2026&lng=en");
    const text = await p.locator("main").innerText();
    await context.close();
    return text;
  };
  expect(await page("office")).toContain("Integrity problem (廉政)");
  const staffView = await page("unit_staff", "D07");
  expect(staffView).toContain("Slow action (慢作为)");
  expect(staffView).not.toContain("Integrity problem (廉政)");
});
