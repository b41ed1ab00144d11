// Who may read /metrics (docs/operations.md, "Monitoring"). Off unless METRICS_TOKEN is set; then
// a scraper sends `Authorization: Bearer <METRICS_TOKEN>`, or reads from an address that
// METRICS_ALLOW lists (addresses or CIDR ranges). The figures say how busy the platform is and how
// many complaints are late: not for everyone, though nothing personal is in them.
import { createHash, timingSafeEqual } from "node:crypto";
import net from "node:net";

export type MetricsAccess = "off" | "allowed" | "unauthorized" | "forbidden";

/** An allow list as METRICS_ALLOW writes it: "127.0.0.1, 10.0.0.0/8, fd00::/8". Null when an entry is not an address or range. */
export function parseAllowList(text: string): net.BlockList | null {
  const list = new net.BlockList();
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address = "", prefix, extra] = entry.split("/");
    const family = net.isIP(address);
    if (!family || extra !== undefined) return null;
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) return null;
    list.addSubnet(address, bits, type);
  }
  return list;
}

/** The client address as the server stamps it (IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d). */
function normalizeAddress(address: string): { address: string; type: "ipv4" | "ipv6" } | null {
  const plain = address.startsWith("::ffff:") && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
  const family = net.isIP(plain);
  return family ? { address: plain, type: family === 4 ? "ipv4" : "ipv6" } : null;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Compares two secrets in time that does not depend on where they differ, nor on their lengths. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

const allowLists = new Map<string, net.BlockList | null>();

/**
 * The answer /metrics gives: off (404) without a token configured; allowed with the right bearer
 * token or from a listed address; unauthorized (401, asking for a bearer token) without
 * credentials; forbidden (403) for a wrong token from an address not listed.
 */
export function metricsAccess(input: { token: string | undefined; allow: string; authorization: string | null; address: string | null }): MetricsAccess {
  if (!input.token) return "off";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(input.authorization ?? "")?.[1];
  if (bearer !== undefined && sameSecret(bearer, input.token)) return "allowed";
  let list = allowLists.get(input.allow);
  if (list === undefined) {
    list = parseAllowList(input.allow);
    allowLists.set(input.allow, list);
  }
  const client = input.address ? normalizeAddress(input.address) : null;
  if (list && client && list.check(client.address, client.type)) return "allowed";
  return bearer === undefined ? "unauthorized" : "forbidden";
}
