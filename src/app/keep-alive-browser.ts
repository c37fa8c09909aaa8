// The browser's side of keep-alive.ts: the document's visibility and title, `beforeunload`, the Screen
// Wake Lock API and the Notification API, each absent where the browser lacks it.
import type { Logger } from '../core/ports';
import { startKeepAlive, type DownloadNotifier, type KeepAliveDeps, type KeepAlivePage, type ScreenWakeLock } from './keep-alive';

/** The page as keep-alive sees it. */
export function browserKeepAlivePage(doc: Document, win: Window): KeepAlivePage {
  return {
    isVisible: () => doc.visibilityState === 'visible',
    onVisibilityChange(listener) {
      doc.addEventListener('visibilitychange', listener);
      return () => doc.removeEventListener('visibilitychange', listener);
    },
    getTitle: () => doc.title,
    setTitle: (title) => void (doc.title = title),
    onBeforeUnload(listener) {
      win.addEventListener('beforeunload', listener);
      return () => win.removeEventListener('beforeunload', listener);
    },
  };
}

/** The screen Wake Lock, or null where the browser has none (Firefox before 126, insecure pages). */
export function browserWakeLock(nav: Navigator): ScreenWakeLock | null {
  if (!('wakeLock' in nav) || !nav.wakeLock) return null;
  const { wakeLock } = nav;
  return {
    async request() {
      const sentinel = await wakeLock.request('screen');
      return {
        release: () => sentinel.release(),
        onRelease: (listener) => sentinel.addEventListener('release', listener),
      };
    },
  };
}

/** "Notify me when downloads finish": the person's choice, and the browser's permission behind it. */
export interface NotifySetting {
  /** False where the browser has no Notification API. */
  readonly supported: boolean;
  /** On: chosen, and the browser allows it. */
  isOn(): boolean;
  /** Turns it on, asking the browser's permission if it was never asked: call it from a click only. Resolves the permission. */
  turnOn(): Promise<NotificationPermission>;
  turnOff(): void;
}

/** The setting over the Notification API; `choice` keeps it between visits (localStorage in main.tsx). */
export function browserNotifySetting(choice: { load(): boolean; save(on: boolean): void }): NotifySetting {
  const supported = typeof Notification === 'function';
  const granted = (): boolean => supported && Notification.permission === 'granted';
  return {
    supported,
    isOn: () => choice.load() && granted(),
    async turnOn() {
      if (!supported) return 'denied';
      const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
      choice.save(permission === 'granted');
      return permission;
    },
    turnOff: () => choice.save(false),
  };
}

/** Notifications about finished downloads while the setting is on; null without the API. */
export function browserNotifier(setting: NotifySetting, focusPage: () => void): DownloadNotifier | null {
  if (!setting.supported) return null;
  return {
    allowed: () => setting.isOn(),
    show(title) {
      // One tag: a burst of finished items replaces one notification rather than stacking a dozen.
      const shown = new Notification(title, { tag: 'swarmdrop-download-finished', body: 'Open Swarmdrop to save it.' });
      shown.onclick = () => {
        focusPage();
        shown.close();
      };
    },
  };
}

/** Starts keep-alive on this page; `data-last-holder` on <html> shows whether closing it would warn (for tests and tools). */
export function startBrowserKeepAlive(swarm: KeepAliveDeps['swarm'], log: Logger, notify: NotifySetting): () => void {
  return startKeepAlive({
    swarm,
    log,
    page: browserKeepAlivePage(document, window),
    wakeLock: browserWakeLock(navigator),
    notifier: browserNotifier(notify, () => window.focus()),
    onLastHolderChange: (lastHolder) => {
      document.documentElement.dataset.lastHolder = String(lastHolder);
    },
  });
}
