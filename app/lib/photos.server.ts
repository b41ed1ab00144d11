// Citizen photos: validated by content and size before anything is written, re-encoded as JPEG
// (which drops EXIF, GPS and any other metadata, and anything hidden after the image data), and
// stored under random names in UPLOAD_DIR, which is never served as a folder.
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

/** Checks count, size and real type; reads nothing more than the files themselves. */
export async function checkPhotos(files: File[]): Promise<PhotoCheck> {
  if (files.length > PHOTO_LIMITS.maxCount) return { ok: false, error: "errors.photoCount" };
  const photos: Buffer[] = [];
  for (const file of files) {
    if (file.size > PHOTO_LIMITS.maxBytes) return { ok: false, error: "errors.photoSize" };
    const data = Buffer.from(await file.arrayBuffer());
    if (!detectImageType(data)) return { ok: false, error: "errors.photoType" };
    photos.push(data);
  }
  return { ok: true, photos };
}

export async function reencode(data: Buffer): Promise<ProcessedPhoto> {
  const { data: out, info } = await sharp(data, { limitInputPixels: 50_000_000, failOn: "error" })
    .rotate() // apply the camera's orientation before the metadata is dropped
    .resize({ width: PHOTO_LIMITS.maxSide, height: PHOTO_LIMITS.maxSide, fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  return { data: out, contentType: "image/jpeg", width: info.width, height: info.height };
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
