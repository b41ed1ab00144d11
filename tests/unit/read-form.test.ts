import { describe, expect, it } from "vitest";
import { readForm } from "#app/lib/http.server";

function streamed(body: string) {
  const bytes = new TextEncoder().encode(body);
  const stream = new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.slice(i, i + 1000));
      controller.close();
    },
  });
  // No Content-Length: the limit must hold while reading.
  return new Request("http://x/s/a", {
    method: "POST",
    body: stream,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    duplex: "half",
  } as RequestInit);
}

describe("reading a posted form", () => {
  it("parses a url-encoded body", async () => {
    const form = await readForm(streamed("q_overall=5&q_comment=%E5%BE%88%E5%A5%BD"), 1024);
    expect(form.get("q_overall")).toBe("5");
    expect(form.get("q_comment")).toBe("很好");
  });

  it("answers 413 for a body over the limit even without Content-Length", async () => {
    const error = await readForm(streamed("q_comment=" + "x".repeat(5000)), 1024).catch((e) => e);
    // A thrown data(…, { status }) is what React Router turns into the translated 413 page.
    expect(error?.init?.status).toBe(413);
    expect(error?.data).toEqual({ reason: "too_large" });
  });
});

describe("malformed multipart bodies", () => {
  const post = (type: string, body: string) =>
    new Request("http://x/complaints/new", { method: "POST", body, headers: { "content-type": type } });
  const part = (boundary: string) => `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${boundary}--\r\n`;

  it("reads a well-formed one", async () => {
    const form = await readForm(post("multipart/form-data; boundary=XyZ", part("XyZ")), 4096);
    expect(form.get("a")).toBe("1");
  });

  it.each([
    ["no boundary", "multipart/form-data", part("XyZ")],
    ["another boundary", "multipart/form-data; boundary=other", part("XyZ")],
    ["an empty boundary", "multipart/form-data; boundary=", part("XyZ")],
    ["garbage", "multipart/form-data; boundary=XyZ", "\u0000\u0001garbage that is no multipart body"],
    ["a part that never ends", "multipart/form-data; boundary=XyZ", `--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1`],
    ["upper-case type without boundary", "Multipart/Form-Data", part("XyZ")],
  ])("answers 400 (the translated page) for %s", async (_name, type, body) => {
    const error = await readForm(post(type, body), 4096).catch((e) => e);
    expect(error?.init?.status).toBe(400);
    expect(error?.data).toEqual({ reason: "bad_request" });
  });
});
