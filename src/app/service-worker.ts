// Registers the service worker (src/sw/, built to /sw.js) that keeps the app shell for offline use
// and receives files shared from other apps. Browsers allow one only in secure contexts; elsewhere
// the page simply works online, as before.
import { errorMessage } from '../core/errors';

/** Where the build puts the worker; at the site root, so its scope can be the whole site. */
const serviceWorkerUrl = '/sw.js';

/**
 * Registers the worker once the page has loaded (its first download of the shell then does not
 * compete with the page's own). Failure is logged, not shown: the page works without it.
 */
export function registerServiceWorker(log: (event: string, fields?: Record<string, unknown>) => void): void {
  if (!window.isSecureContext || !('serviceWorker' in navigator)) return;
  const register = (): void => {
    navigator.serviceWorker.register(serviceWorkerUrl, { scope: '/' }).then(
      () => log('service-worker-registered'),
      (error: unknown) => log('service-worker-failed', { error: errorMessage(error) }),
    );
  };
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}
