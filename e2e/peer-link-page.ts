// Test-only bundle entry for e2e/peer-link.spec.ts: puts the real WebRTC transport and the PeerLink
// compliance driver on `window`, so one page can hold both ends of a real WebRTC connection.
import type { PeerLink } from '../src/core/ports';
import { createConnectionBudget } from '../src/transport/connection-budget';
import { highWatermarkBytes } from '../src/transport/constants';
import { createIceConfig } from '../src/transport/ice-config';
import { createWebRtcPeer, type WebRtcPeer } from '../src/transport/webrtc-peer';
import { createLocalDriver, type LinkPairUnderTest, type PeerLinkDriver } from '../src/test-support/peer-link-compliance';

/** What the spec finds on `window` once the bundle ran. */
export interface PeerLinkPage {
  createWebRtcPeer: typeof createWebRtcPeer;
  createConnectionBudget: typeof createConnectionBudget;
  createIceConfig: typeof createIceConfig;
  /** Connects two WebRTC peers of this page to each other and drives them. */
  openDriver(): Promise<void>;
  driver: PeerLinkDriver | null;
}

/** Both ends of one real WebRTC connection, signalled to each other inside the page. */
async function openWebRtcPair(): Promise<LinkPairUnderTest> {
  const budget = createConnectionBudget({ onExhausted: (message) => console.error(message) });
  const ice = createIceConfig();
  const links: Partial<Record<'a' | 'b', PeerLink>> = {};
  const peers: Partial<Record<'a' | 'b', WebRtcPeer>> = {};
  await new Promise<void>((resolve, reject) => {
    const open = (end: 'a' | 'b', other: 'a' | 'b'): WebRtcPeer => {
      const peer = createWebRtcPeer({
        remotePeerId: other,
        initiator: end === 'a',
        ice,
        budget,
        onSignal: (data) => setTimeout(() => peers[other]?.signal(JSON.parse(JSON.stringify(data)) as unknown), 0),
        onLink: (link) => {
          links[end] = link;
          if (links.a && links.b) resolve();
        },
        onClose: (error) => reject(error ?? new Error(`${end} closed before both links opened`)),
      });
      if (!peer) throw new Error('connection budget spent');
      return peer;
    };
    peers.b = open('b', 'a');
    peers.a = open('a', 'b');
  });
  const { a, b } = links as Record<'a' | 'b', PeerLink>;
  return {
    a,
    b,
    highWatermarkBytes,
    /** Chromium's a=max-message-size: both ends of this pair are Chromium. */
    maxMessageBytes: 256 * 1024,
    // HACK: a page cannot stop its own data channel's SCTP from draining; but Chromium lowers
    // bufferedAmount only in a task, so "stalled" is the rest of the current task: settle awaits
    // microtasks only, and resume lets the event loop run again.
    stall: () => undefined,
    settle: async () => {
      for (let i = 0; i < 1000; i += 1) await Promise.resolve();
    },
    resume: () => undefined,
    dispose: () => {
      peers.a?.destroy();
      peers.b?.destroy();
    },
  };
}

const page: PeerLinkPage = {
  createWebRtcPeer,
  createConnectionBudget,
  createIceConfig,
  async openDriver() {
    await page.driver?.dispose();
    page.driver = await createLocalDriver(openWebRtcPair);
  },
  driver: null,
};
(window as unknown as { swarmdropPeerLink: PeerLinkPage }).swarmdropPeerLink = page;
