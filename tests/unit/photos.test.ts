import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { detectImageType } from "#app/domain/image-type";
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
