import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { detectImageType, PHOTO_LIMITS } from "#app/domain/image-type";
import { checkPhotos, reencode } from "#app/lib/photos.server";

const png = () => sharp({ create: { width: 40, height: 30, channels: 3, background: "#0b5394" } }).png().toBuffer();
const file = (data: Uint8Array, name: string, type = "image/jpeg") => new File([new Uint8Array(data)], name, { type });

describe("photo checks", () => {
  it("knows JPEG, PNG and WebP by their first bytes, and nothing else", async () => {
    expect(detectImageType(await png())).toBe("image/png");
    expect(detectImageType(await sharp(await png()).jpeg().toBuffer())).toBe("image/jpeg");
    expect(detectImageType(await sharp(await png()).webp().toBuffer())).toBe("image/webp");
    expect(detectImageType(Buffer.from("<script>alert(1)</script>"))).toBeNull();
    expect(detectImageType(Buffer.from("GIF89a"))).toBeNull();
    expect(detectImageType(new Uint8Array())).toBeNull();
  });

  it("refuses a script named .jpg, too many photos and too large ones, whatever their names say", async () => {
    expect(await checkPhotos([file(Buffer.from("<script>alert(1)</script>"), "cat.jpg")])).toEqual({ ok: false, error: "errors.photoType" });
    const ok = file(await png(), "a.png", "image/png");
    expect(await checkPhotos([ok, ok, ok, ok])).toEqual({ ok: false, error: "errors.photoCount" });
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set([0xff, 0xd8, 0xff]);
    expect(await checkPhotos([file(big, "big.jpg")])).toEqual({ ok: false, error: "errors.photoSize" });
    expect((await checkPhotos([ok])).ok).toBe(true);
  });

  it("re-encodes as JPEG without any metadata (location, camera)", async () => {
    const withExif = await sharp(await png())
      .jpeg()
      .withExif({ IFD0: { Make: "PhoneMaker", Model: "X1", Copyright: "somebody" }, IFD3: { GPSLatitudeRef: "N" } })
      .toBuffer();
    expect((await sharp(withExif).metadata()).exif).toBeDefined();
    const out = await reencode(withExif);
    expect(out.contentType).toBe("image/jpeg");
    const meta = await sharp(out.data).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.format).toBe("jpeg");
    expect([out.width, out.height]).toEqual([40, 30]);
  });

  it("refuses a file that starts like an image but is not one", async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("not really a jpeg at all")]);
    await expect(reencode(fake)).rejects.toThrow();
  });
});

describe("large-pixel photos (decompression bombs)", () => {
  const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: "#7a5230" } }).png({ compressionLevel: 9 }).toBuffer();

  it("refuses a photo above the pixel limit from its header, without decoding it", async () => {
    // 7,000 × 7,000 = 49 MP in a few KB: once allowed (the old limit was 50 MP) and decoded whole.
    const bomb = await solid(7000, 7000);
    expect(bomb.length).toBeLessThan(PHOTO_LIMITS.maxBytes);
    expect(await checkPhotos([file(bomb, "bomb.png", "image/png")])).toEqual({ ok: false, error: "errors.photoPixels" });
    // Re-encoding refuses it as well (sharp's limitInputPixels), for any caller that skipped the check.
    await expect(reencode(bomb)).rejects.toThrow();
  });

  it("a long, thin picture counts by its pixels too", async () => {
    expect(await checkPhotos([file(await solid(40_001, 1000), "strip.png", "image/png")])).toEqual({ ok: false, error: "errors.photoPixels" });
  });

  it("downscales a large photo it accepts to the stored size", async () => {
    const big = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: "#334455" } }).jpeg().toBuffer();
    const check = await checkPhotos([file(big, "big.jpg")]);
    expect(check.ok).toBe(true);
    const out = await reencode(big);
    expect([out.width, out.height]).toEqual([PHOTO_LIMITS.maxSide, Math.round((PHOTO_LIMITS.maxSide * 4000) / 6000)]);
  });

  it("re-encodes one photo at a time (uploads never take every core)", async () => {
    // A tiny photo sent just after a large one waits for it, where in parallel it would finish first.
    const photos = [await solid(5000, 5000), await solid(20, 20)];
    const order: number[] = [];
    await Promise.all(photos.map((p, i) => reencode(p).then(() => order.push(i))));
    expect(order).toEqual([0, 1]);
  });
});
