// Several app processes on one PostgreSQL database must hash a client address alike, or a burst
// from one network is split between them and each counts a rate limit of its own. The daily salt
// (app/lib/signing.server.ts) stays in memory only; the processes agree on it through the
// database's announcements (NOTIFY, never stored): each tells the others the salt it made, and
// every process keeps the oldest one of the day. A process that starts asks the others for theirs
// as soon as it listens. Until it hears them (milliseconds after it starts, and after midnight) it
// hashes with its own. On SQLite there is one process and nothing to agree on.
import { db } from "./db.server";
import { log } from "./log.server";
import { type AddressSalt, adoptAddressSalt, currentAddressSalt, onAddressSaltMade } from "./signing.server";

const PREFIX = "address-salt:";
const REQUEST = "address-salt-request";

function encode(s: AddressSalt): string {
  return `${PREFIX}${s.day}:${s.madeAt}:${s.salt.toString("hex")}`;
}

function decode(topic: string): AddressSalt | null {
  const [day, madeAt, hex] = topic.slice(PREFIX.length).split(":");
  if (!day || !madeAt || !hex || !/^\d{4}-\d\d-\d\d$/.test(day) || !/^\d+$/.test(madeAt) || !/^[0-9a-f]{64}$/.test(hex)) return null;
  return { day, madeAt: Number(madeAt), salt: Buffer.from(hex, "hex") };
}

let started = false;

/** Joins the other app processes in agreeing on the day's address salt (PostgreSQL only). */
export function shareAddressSalt(): void {
  const database = db();
  if (started || database.kind === "sqlite") return;
  started = true;
  const tell = (salt: AddressSalt) =>
    database.announce(encode(salt)).catch((error: Error) => log.warn({ part: "signing", err: error.message }, "could not share the address salt"));
  onAddressSaltMade((salt) => void tell(salt));
  database.onAnnouncement((topic) => {
    if (topic === null) {
      // Listening (again): ask for the others' salt, and offer ours.
      void database.announce(REQUEST).catch(() => undefined);
      void tell(currentAddressSalt());
    } else if (topic === REQUEST) {
      void tell(currentAddressSalt());
    } else if (topic.startsWith(PREFIX)) {
      const heard = decode(topic);
      // Kept when older than ours; when ours is the older one, the other process hears it back.
      if (heard && !adoptAddressSalt(heard)) {
        const ours = currentAddressSalt();
        if (ours.day === heard.day && encode(ours) !== topic) void tell(ours);
      }
    }
  });
}
