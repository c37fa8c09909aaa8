// Hands a finished Blob to the browser as a normal download (an `a[download]` click).

/** How long the object URL outlives the click: the download has started reading the Blob by then. */
const revokeAfterMs = 60_000;

/** Starts a download of `blob` named `fileName`. */
export function offerDownload(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), revokeAfterMs);
}
