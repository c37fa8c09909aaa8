// Which files of a folder item the file list shows: the first few when collapsed; when expanded, those
// whose path holds the filter text, a page at a time, so a 10,000-file folder never renders 10,000 rows.

/** Files listed before "and N more": enough to recognise a folder, few enough to keep the row short. */
export const collapsedFileCount = 10;

/** Rows added per "show more" once expanded: a long scroll's worth, far below what slows a render. */
export const fileListPageRows = 500;

/** The rows to render (indexes into the item's files) and how many matching files are not rendered. */
export interface FileWindow {
  readonly indexes: readonly number[];
  readonly matching: number;
  readonly hidden: number;
}

/** Files whose path contains `filter` (case-insensitive), at most `limit` of them rendered. */
export function fileWindow(paths: readonly string[], filter: string, limit: number): FileWindow {
  const needle = filter.trim().toLocaleLowerCase();
  const indexes: number[] = [];
  let matching = 0;
  paths.forEach((path, index) => {
    if (needle !== '' && !path.toLocaleLowerCase().includes(needle)) return;
    matching += 1;
    if (indexes.length < limit) indexes.push(index);
  });
  return { indexes, matching, hidden: matching - indexes.length };
}
