// Citizen photos: validated by content and size before anything is written, re-encoded as JPEG
// (which drops EXIF, GPS and any other metadata, and anything hidden after the image data), and
// stored under random names in UPLOAD_DIR, which is never served as a folder.
//
// Decoding is what costs: a few KB of PNG can hold 50 megapixels. So the pixel count is read from
// the header first and a photo above PHOTO_LIMITS.maxPixels is refused before any decoding; the
// others are re-encoded one at a time, each on one libvips thread, so uploads use at most one core
// and never starve the citizens' pages (the rest wait their turn: `npm run bench:uploads` measures
// it). JPEG and WebP are decoded straight at a reduced scale (libvips' shrink-on-load) when they
// are larger than the stored size; PNG has no such shortcut, hence the pixel limit.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { detectImageType, PHOTO_LIMITS } from "#app/domain/image-type";
import { getEnv } from "./env.server";

export interface ProcessedPhoto {
  data: Buffer;
  contentType: "image/jpeg";
  width: number;
  height: number;
}

export type PhotoCheck = { ok: true; photos: Buffer[] } | { ok: false; error: string };

// One libvips worker thread per image (the default is one per core).
sharp.concurrency(1);

/** Width × height from the file's header (nothing is decoded), or null when it cannot be read. */
async function headerPixels(data: Buffer): Promise<number | null> {
  try {
    const { width, height } = await sharp(data, { limitInputPixels: false }).metadata();
    return width && height ? width * height : null;
  } catch {
    return null;
  }
}

/** Checks count, size, real type and pixel count; decodes nothing. */
export async function checkPhotos(files: File[]): Promise<PhotoCheck> {
  if (files.length > PHOTO_LIMITS.maxCount) return { ok: false, error: "errors.photoCount" };
  const photos: Buffer[] = [];
  for (const file of files) {
    if (file.size > PHOTO_LIMITS.maxBytes) return { ok: false, error: "errors.photoSize" };
    const data = Buffer.from(await file.arrayBuffer());
    if (!detectImageType(data)) return { ok: false, error: "errors.photoType" };
    const pixels = await headerPixels(data);
    if (pixels === null) return { ok: false, error: "errors.photoType" };
    if (pixels > PHOTO_LIMITS.maxPixels) return { ok: false, error: "errors.photoPixels" };
    photos.push(data);
  }
  return { ok: true, photos };
}

// Re-encodings run one after another (see the top of this file).
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

/** The photo as a JPEG of at most maxSide pixels a side, without metadata; throws for a file that is no image or is too large. */
export function reencode(data: Buffer): Promise<ProcessedPhoto> {
  return oneAtATime(async () => {
    // limitInputPixels also holds for callers that skipped checkPhotos.
    const { data: out, info } = await sharp(data, { limitInputPixels: PHOTO_LIMITS.maxPixels, failOn: "error" })
      .rotate() // apply the camera's orientation before the metadata is dropped
      .resize({ width: PHOTO_LIMITS.maxSide, height: PHOTO_LIMITS.maxSide, fit: "inside", withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { data: out, contentType: "image/jpeg", width: info.width, height: info.height };
  });
}

export function uploadDir(): string {
  return path.resolve(process.cwd(), getEnv().UPLOAD_DIR);
}

/** Writes the photos under fresh random names; returns the names (to record or to remove). */
export async function writePhotos(photos: ProcessedPhoto[]): Promise<string[]> {
  const dir = uploadDir();
  await fs.mkdir(dir, { recursive: true });
  const names: string[] = [];
  try {
    for (const p of photos) {
      const name = `${randomBytes(16).toString("hex")}.jpg`;
      await fs.writeFile(path.join(dir, name), p.data, { flag: "wx", mode: 0o600 });
      names.push(name);
    }
    return names;
  } catch (error) {
    await removePhotos(names);
    throw error;
  }
}

export async function removePhotos(names: string[]) {
  await Promise.all(names.map((n) => fs.rm(path.join(uploadDir(), path.basename(n)), { force: true })));
}

export async function readPhoto(storedName: string): Promise<Buffer> {
  return fs.readFile(path.join(uploadDir(), path.basename(storedName)));
}

/**
 * A stored photo as an answer: its real type, inline under a safe name, never sniffed into another
 * type, never kept by a shared cache, and inert if opened on its own (the staff's and the
 * citizen's photo routes answer alike).
 */
export async function photoResponse(photo: { id: number; storedName: string; contentType: string }, reference: string): Promise<Response> {
  const body = await readPhoto(photo.storedName);
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": photo.contentType,
      "Content-Length": String(body.length),
      "Content-Disposition": `inline; filename="${reference}-photo-${photo.id}.jpg"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
