// Reads of Blobs asked for in one task, done as one read. Each read of a picked file is a round trip
// to the browser process: serving 2,000 separate small files, `arrayBuffer()` took 422 ms of the
// sharer's main thread one by one. Requests that arrive together (a batch of frames) are read together.

/** Most bytes read at once: a group is held in memory until its last reader is done with its part. */
export const maxGroupedReadBytes = 4 * 1024 * 1024;

interface Waiting {
  readonly blob: Blob;
  resolve(bytes: Uint8Array): void;
  reject(error: unknown): void;
}

/** Joins a group's Blobs into the one Blob read (a parameter so tests can make the joined read fail). */
export type JoinBlobs = (blobs: Blob[]) => Blob;

/** A reader whose calls made in the same task share reads of at most `maxBytes`. */
export function createGroupedReader(maxBytes = maxGroupedReadBytes, join: JoinBlobs = (blobs) => new Blob(blobs)): (blob: Blob) => Promise<Uint8Array> {
  let waiting: Waiting[] = [];

  const readAlone = (entry: Waiting): void => {
    entry.blob.arrayBuffer().then((buffer) => entry.resolve(new Uint8Array(buffer)), entry.reject);
  };

  const readGroup = (group: Waiting[]): void => {
    const [only] = group;
    if (group.length === 1 && only) return readAlone(only);
    join(group.map((entry) => entry.blob)).arrayBuffer().then(
      (buffer) => {
        let at = 0;
        for (const entry of group) {
          entry.resolve(new Uint8Array(buffer, at, entry.blob.size));
          at += entry.blob.size;
        }
      },
      // One unreadable file must not fail the others: each is read again on its own.
      () => group.forEach(readAlone),
    );
  };

  const flush = (): void => {
    const all = waiting;
    waiting = [];
    let group: Waiting[] = [];
    let bytes = 0;
    for (const entry of all) {
      if (group.length > 0 && bytes + entry.blob.size > maxBytes) {
        readGroup(group);
        group = [];
        bytes = 0;
      }
      group.push(entry);
      bytes += entry.blob.size;
    }
    if (group.length > 0) readGroup(group);
  };

  return (blob) =>
    new Promise<Uint8Array>((resolve, reject) => {
      if (waiting.length === 0) queueMicrotask(flush);
      waiting.push({ blob, resolve, reject });
    });
}
