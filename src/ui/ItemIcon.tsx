// A small picture of what an item is (folder, image, audio, video, text, archive, anything else), drawn
// inline so nothing is fetched. Decorative: the name beside it says the same, so screen readers skip it.
import { itemKind, type ItemKind } from './item-kind';

/** Props: the item's name, the MIME type of its (first) file, and whether it is a folder or set of files. */
export interface ItemIconProps {
  readonly name: string;
  readonly mimeType?: string | undefined;
  readonly folder?: boolean | undefined;
}

/** A page with a folded corner: the outline every file kind is drawn on. */
const page = 'M6.5 3h7.5l4.5 4.5v12.5a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1v-16a1 1 0 0 1 1-1zM14 3v4.5h4.5';

/** What is drawn on (or instead of) the page, per kind: stroke paths in a 24 × 24 box. */
const marks: Record<ItemKind, readonly string[]> = {
  folder: ['M3 6.5a1.5 1.5 0 0 1 1.5-1.5h4.3l2 2.2h8.7a1.5 1.5 0 0 1 1.5 1.5v9.8a1.5 1.5 0 0 1-1.5 1.5h-15a1.5 1.5 0 0 1-1.5-1.5z', 'M3 10h18'],
  image: [page, 'M8 18l3-4 2 2.5 1.5-2 2.5 3.5z', 'M10 10.5a1 1 0 1 0 0.01 0'],
  audio: [page, 'M11 17.5a1.5 1.5 0 1 1-1.5-1.5h1.5v-5.5l4-1v5.5a1.5 1.5 0 1 1-1.5-1.5h1.5'],
  video: [page, 'M10 11.5v6l5-3z'],
  text: [page, 'M8.5 11.5h7M8.5 14.5h7M8.5 17.5h4.5'],
  archive: [page, 'M11.5 4v1.5M11.5 7v1.5M11.5 10v1.5', 'M10 13.5h3v3.5h-3z'],
  other: [page],
};

/** The icon of an item, coloured by its kind through the `item-icon--KIND` class. */
export function ItemIcon({ name, mimeType, folder }: ItemIconProps) {
  const kind = itemKind(name, mimeType ?? '', folder ?? false);
  return (
    <svg className={`item-icon item-icon--${kind}`} data-kind={kind} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {marks[kind].map((d) => (
        <path key={d} d={d} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      ))}
    </svg>
  );
}
