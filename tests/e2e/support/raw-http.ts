// HTTP/1.1 over a plain socket: sends exactly the bytes given (bad Host, any method, broken
// framing), which neither fetch nor Playwright's request API will. Each request may come from its
// own loopback address, so that refused attempts counted per network (sign-in, tracking) do not
// slow down the other tests that share the worker's server.
import net from "node:net";

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Everything received, head included. */
  text: string;
}

export interface RawRequest {
  method: string;
  path: string;
  /** Header lines in order; a Host line is added unless `host` says otherwise. */
  headers?: [string, string][];
  body?: string | Buffer;
  /** Host header value; null sends none. Defaults to the server's host:port. */
  host?: string | null;
  /** Sets Content-Length from the body unless false (or the headers already carry one). */
  contentLength?: boolean;
  /** Replaces the whole request (head and body) with these bytes. */
  raw?: Buffer | string;
  /**
   * Closes the sending side after the bytes (a client that gives up, e.g. mid-body). Node's
   * server then drops the request (httpAllowHalfOpen is off): expect no answer.
   */
  halfClose?: boolean;
}

let addressCounter = 0;
/** A fresh loopback source address (127.77.x.y) for each call. */
export function nextLoopback(): string {
  addressCounter++;
  return `127.77.${(addressCounter >> 8) & 255}.${(addressCounter & 255) || 1}`;
}

export function requestBytes(serverUrl: string, r: RawRequest): Buffer {
  if (r.raw !== undefined) return Buffer.isBuffer(r.raw) ? r.raw : Buffer.from(r.raw, "latin1");
  const { host } = new URL(serverUrl);
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, "utf8");
  const lines = [`${r.method} ${r.path} HTTP/1.1`];
  if (r.host !== null) lines.push(`Host: ${r.host ?? host}`);
  const headers = r.headers ?? [];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  const hasLength = headers.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n));
  if (r.contentLength !== false && !hasLength && (r.body !== undefined || r.method === "POST" || r.method === "PUT" || r.method === "PATCH")) {
    lines.push(`Content-Length: ${body.length}`);
  }
  lines.push("Connection: close", "", "");
  return Buffer.concat([Buffer.from(lines.join("\r\n"), "latin1"), body]);
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const eol = body.indexOf("\r\n", at);
    if (eol < 0) break;
    const size = parseInt(body.subarray(at, eol).toString("latin1"), 16);
    if (!size) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts as Uint8Array[]);
}

/** Sends the request from a fresh loopback address and reads until the server closes. */
export function rawRequest(serverUrl: string, r: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  const { hostname, port } = new URL(serverUrl);
  const bytes = requestBytes(serverUrl, r);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: hostname, port: Number(port), localAddress: nextLoopback() }, () => {
      // The server may answer (413, 400) and close before it has read everything: a write error
      // is then expected, and the answer already received is what counts. Otherwise the socket
      // stays open until the server closes it after its answer (Connection: close).
      if (r.halfClose) socket.end(bytes);
      else socket.write(bytes);
    });
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", () => socket.destroy());
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on("close", () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      const head = (split < 0 ? all : all.subarray(0, split)).toString("latin1");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(":");
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      let body: Buffer = split < 0 ? Buffer.alloc(0) : all.subarray(split + 4);
      if (/chunked/i.test(headers["transfer-encoding"] ?? "")) body = dechunk(body);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      resolve({ status, headers, body: body.toString("utf8"), text: `${head}\r\n\r\n${body.toString("utf8")}` });
    });
  });
}
