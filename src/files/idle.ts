// A moment the page can spare: background work (copying shared files into storage) waits for one so
// it never slows what peers are asking for.

/** Longest wait for an idle moment: on a page busy for long, background work still moves on. */
export const idleTimeoutMs = 1000;

/** Resolves in the page's next idle period (or after `idleTimeoutMs`); a macrotask where idle callbacks are missing (Safari). */
export function nextIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: idleTimeoutMs });
    else setTimeout(resolve, 0);
  });
}
