// Printed links (posters, QR codes, tablet links) must reach citizens' phones. When PUBLIC_ORIGIN
// is not set they are built from the address the office's browser used, which on an office
// computer is often the server itself (127.0.0.1, localhost) or an intranet address: printed, such
// a link leads nowhere. These are the addresses that give the warning.

/** IPv4 dotted quad → its four numbers, or null. */
function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts : null;
}

function privateIpv4([a, b]: number[]): boolean {
  return a === 127 || a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0;
}

function privateIpv6(host: string): boolean {
  const h = host.toLowerCase();
  if (h === "::1" || h === "::") return true;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1, or the hex form URL parsing gives).
  const mapped = /^::ffff:(.+)$/.exec(h)?.[1];
  if (mapped) {
    const quad = ipv4(mapped);
    if (quad) return privateIpv4(quad);
    const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(mapped);
    if (hex) {
      const hi = parseInt(hex[1]!, 16);
      return privateIpv4([hi >> 8, hi & 255]);
    }
  }
  const first = parseInt(h.split(":")[0] || "0", 16);
  // fc00::/7 (unique local) and fe80::/10 (link-local).
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

/**
 * Whether links built on this origin would be printed with a loopback or private-network address:
 * 127/8, 10/8, 172.16/12, 192.168/16, link-local, ::1, fc00::/7, fe80::/10, localhost, *.localhost,
 * *.local, or a bare host name without a dot (an intranet name). An origin that cannot be parsed
 * warns too.
 */
export function isPrivateNetworkOrigin(origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase();
  } catch {
    return true;
  }
  if (host.startsWith("[") && host.endsWith("]")) return privateIpv6(host.slice(1, -1));
  const quad = ipv4(host);
  if (quad) return privateIpv4(quad);
  const name = host.replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost") || name.endsWith(".local") || !name.includes(".");
}
