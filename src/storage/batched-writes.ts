// Group commit for IndexedDB puts: each readwrite transaction costs a round trip to the browser's
// storage process (measured ~9 ms each in Chromium with a busy page), and one object store commits
// them one at a time. So puts that arrive while a transaction commits wait and go together in the
// next one: a thousand small items dropped at once cost a handful of transactions, not a thousand.
import { promisifyRequest, type UseStore } from 'idb-keyval';

/** Puts in one transaction at most: enough to absorb a burst, few enough that one commit stays short. */
export const maxPutsPerTransaction = 256;

interface PendingPut {
  readonly key: IDBValidKey;
  readonly value: unknown;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A put function over `store`. Each put resolves once the transaction holding it commits (durable,
 * as idb-keyval's `set`); if that transaction fails, every put in it rejects with the error mapped by
 * `mapError`, and none of them is kept (the transaction is aborted).
 */
export function createBatchedPut(store: UseStore, mapError: (error: unknown) => unknown = (error) => error) {
  const queue: PendingPut[] = [];
  let committing = false;

  const commitNext = (): void => {
    const batch = queue.splice(0, maxPutsPerTransaction);
    if (batch.length === 0) {
      committing = false;
      return;
    }
    committing = true;
    store('readwrite', (objects) => {
      try {
        for (const put of batch) objects.put(put.value, put.key);
      } catch (error) {
        objects.transaction.abort();
        throw error;
      }
      return promisifyRequest(objects.transaction);
    })
      .then(
        () => batch.forEach((put) => put.resolve()),
        (error: unknown) => batch.forEach((put) => put.reject(mapError(error))),
      )
      .finally(commitNext);
  };

  return (key: IDBValidKey, value: unknown): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      queue.push({ key, value, resolve, reject });
      if (!committing) commitNext();
    });
}
