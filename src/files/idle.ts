// A moment the page can spare: background work (copying shared files into storage) waits for one so
// it never slows what peers are asking for.

/** Longest wait for an idle moment: on a page busy for long, background work still moves on. */
export const idleTimeoutMs = 1000;

/**
 * Resolves in the page's next idle period (at most `idleTimeoutMs` late). In a hidden tab, whose timers
 * Chromium throttles (to once a minute after five minutes), and where idle callbacks are missing
 * (Safari), it resolves after the tasks already queued instead, through a MessageChannel.
 */
export function nextIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function' && document.visibilityState === 'visible') {
      requestIdleCallback(() => resolve(), { timeout: idleTimeoutMs });
      return;
    }
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
