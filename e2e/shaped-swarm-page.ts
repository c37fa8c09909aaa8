// Test-only init script for the shaped lab's pages: a timeline of what the app logged and what its
// page showed, each stamped with the page's own Date.now() (the test reads it when the run is over,
// so nothing is lost to console events arriving late or a page closing).

/** One `swarmdrop` log line the app wrote with console.debug. */
export interface TimelineEvent {
  readonly name: string;
  readonly fields: Record<string, unknown>;
  readonly atMs: number;
}

/** What one page recorded. */
export interface PageTimeline {
  readonly events: TimelineEvent[];
  /** When an item row first showed a held chunk (a verified, stored chunk), or null. */
  firstHeldMs: number | null;
  /** When an item row first showed the state complete, or null. */
  completeMs: number | null;
  /** The most each peer row ever showed as uploaded to that peer, by peer id (rows vanish when a peer leaves). */
  readonly uploadedTo: Record<string, number>;
}

/** The window property holding the timeline. */
export const timelineKey = 'swarmdropLabTimeline';

/** Runs in the page before the app (context.addInitScript): records the timeline in `window[timelineKey]`. */
export function recordTimeline(): void {
  const timeline: PageTimeline = { events: [], firstHeldMs: null, completeMs: null, uploadedTo: {} };
  (window as unknown as Record<string, PageTimeline>)['swarmdropLabTimeline'] = timeline; // timelineKey: init scripts cannot import
  // The page's first seconds, marked here since the app logs none of them: when navigation began,
  // when its scripts had arrived and when the document was ready, when a relay socket first opened
  // and first brought a message.
  const mark = (name: string, atMs = Date.now()): void => void timeline.events.push({ name, fields: {}, atMs });
  mark('lab:navigation', Math.round(performance.timeOrigin));
  document.addEventListener(
    'DOMContentLoaded',
    () => {
      mark('lab:dom-ready');
      // When the app's scripts had arrived (network), as against when they had run (document ready: CPU).
      const scripts = performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('.js'));
      if (scripts.length > 0) mark('lab:scripts-fetched', Math.round(performance.timeOrigin + Math.max(...scripts.map((entry) => (entry as PerformanceResourceTiming).responseEnd))));
    },
    { once: true },
  );
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.addEventListener('open', () => mark('lab:relay-open'), { once: true });
      this.addEventListener('message', () => mark('lab:relay-message'), { once: true });
    }
  };
  const debug = console.debug.bind(console);
  console.debug = (...args: unknown[]) => {
    if (args[0] === 'swarmdrop') {
      let fields: Record<string, unknown>;
      try {
        fields = JSON.parse(JSON.stringify(args[2] ?? {})) as Record<string, unknown>;
      } catch {
        fields = { unreadable: true }; // a field that does not serialize is not what the tests read
      }
      timeline.events.push({ name: String(args[1]), fields, atMs: Date.now() });
    }
    debug(...args);
  };
  const look = (element: Element): void => {
    const testId = element.getAttribute('data-testid');
    if (testId === 'item') {
      if (timeline.firstHeldMs === null && /[1-9a-f]/i.test(element.getAttribute('data-held') ?? '')) timeline.firstHeldMs = Date.now();
      if (timeline.completeMs === null && element.getAttribute('data-state') === 'complete') timeline.completeMs = Date.now();
    } else if (testId === 'peer') {
      const peerId = element.getAttribute('data-peer-id') ?? '';
      const uploaded = Number(element.getAttribute('data-uploaded-bytes'));
      if (peerId && uploaded > (timeline.uploadedTo[peerId] ?? 0)) timeline.uploadedTo[peerId] = uploaded;
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes' && record.target instanceof Element) look(record.target);
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        look(node);
        for (const inner of node.querySelectorAll('[data-testid=item], [data-testid=peer]')) look(inner);
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-held', 'data-state', 'data-uploaded-bytes'] });
}
