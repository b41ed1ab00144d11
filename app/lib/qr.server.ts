// QR codes of the survey links, for downloads and posters. Error correction Q (a quarter of the
// code may be dirty or torn: posters hang in busy halls) and the standard quiet zone of 4 modules.
// The SVG is drawn here from the module matrix, so posters embed it as plain elements (no HTML
// injection, no inline styles under the CSP); the PNG comes from the library's renderer.
import QRCode from "qrcode";

export const QR_ERROR_CORRECTION = "Q" as const;
export const QR_QUIET_ZONE = 4;
/** Print needs at least this many pixels on a side; modules stay whole pixels. */
export const QR_PNG_MIN_PX = 1024;

export interface QrDrawing {
  /** Side of the square viewBox, in modules, quiet zone included. */
  size: number;
  /** SVG path data of the dark modules, one rectangle per run of a row. */
  path: string;
}

export interface ModuleMatrix {
  size: number;
  /** Row-major, truthy for a dark module. */
  data: ArrayLike<number | boolean>;
}

/** Path data for a module matrix drawn with `margin` empty modules around it. */
export function drawModules(matrix: ModuleMatrix, margin = QR_QUIET_ZONE): QrDrawing {
  const { size, data } = matrix;
  const parts: string[] = [];
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!data[row * size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && data[row * size + col]) col++;
      parts.push(`M${start + margin} ${row + margin}h${col - start}v1h-${col - start}z`);
    }
  }
  return { size: size + 2 * margin, path: parts.join("") };
}

function modulesOf(text: string): ModuleMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  return { size: modules.size, data: modules.data };
}

/** The QR code of `text` as path data, for inline SVG. */
export function qrDrawing(text: string): QrDrawing {
  return drawModules(modulesOf(text));
}

/** A standalone SVG file: white background (the quiet zone must print), black modules. */
export function qrSvg(text: string): string {
  const { size, path } = qrDrawing(text);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size * 10}" height="${size * 10}" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#ffffff"/><path fill="#000000" d="${path}"/></svg>\n`
  );
}

/** A PNG of at least QR_PNG_MIN_PX on a side, every module a whole number of pixels. */
export function qrPng(text: string): Promise<Buffer> {
  const { size } = modulesOf(text);
  const scale = Math.ceil(QR_PNG_MIN_PX / (size + 2 * QR_QUIET_ZONE));
  return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: QR_ERROR_CORRECTION, margin: QR_QUIET_ZONE, scale });
}
