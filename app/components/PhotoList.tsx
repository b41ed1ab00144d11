// A complaint's photos as thumbnails that link to the full picture: the citizen's on /track, the
// staff's on the case page. Each page passes its own addresses (each goes through its own access
// check) and its own alternative text.
export interface PhotoItem {
  id: number;
  src: string;
  width: number;
  height: number;
}

export const THUMBNAIL_WIDTH = 240;

/** The thumbnail's size: at most THUMBNAIL_WIDTH wide, never enlarged, in the photo's proportions. */
export function thumbnailSize(width: number, height: number): { width: number; height: number } {
  const w = Math.min(width, THUMBNAIL_WIDTH);
  return { width: w, height: Math.round((w / width) * height) };
}

export function PhotoList({ photos, alt }: { photos: readonly PhotoItem[]; alt: (number: number) => string }) {
  if (!photos.length) return null;
  return (
    <ul className="photos">
      {photos.map((p, i) => (
        <li key={p.id}>
          <a href={p.src}>
            <img src={p.src} alt={alt(i + 1)} {...thumbnailSize(p.width, p.height)} loading="lazy" />
          </a>
        </li>
      ))}
    </ul>
  );
}
