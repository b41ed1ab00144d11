// Which image a file really is, from its first bytes (never from its name or declared type).
export type ImageType = "image/jpeg" | "image/png" | "image/webp";

export function detectImageType(bytes: Uint8Array): ImageType | null {
  const b = (i: number) => bytes[i];
  if (bytes.length >= 3 && b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return "image/jpeg";
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b(i) === v)) return "image/png";
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return null;
}

export const PHOTO_LIMITS = {
  maxCount: 3,
  maxBytes: 5 * 1024 * 1024,
  /** Larger pictures are scaled down to this many pixels on the longer side. */
  maxSide: 2000,
  /**
   * Pixels (width × height, read from the file's header before anything is decoded) above which a
   * photo is refused: a 5 MB PNG of one colour can hold 50 megapixels, and decoding it costs
   * seconds of CPU and hundreds of MB. 40 MP is more than any phone camera takes.
   */
  maxPixels: 40_000_000,
} as const;
