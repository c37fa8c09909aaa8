// Bare RTCPeerConnection helpers for NAT-lab infrastructure checks: two pages (each in its own home)
// connect with non-trickle SDP carried by the test, send bytes on a data channel, report the pair.
import type { Page } from '@playwright/test';

/** Deadline for ICE gathering in a page: a TURN allocation in the lab answers within milliseconds. */
const gatherTimeoutMs = 10_000;

/** Data-channel message size: the 64 KiB every engine pair accepts (shared/MEASURED.md). */
const chunkBytes = 64 * 1024;

/** Pause sending above this buffered amount, as the app does (raw data-channel watermark). */
const highWatermarkBytes = 256 * 1024;

/** What the lab functions keep on `window` between evaluate calls. */
interface LabWindow {
  labPc?: RTCPeerConnection;
  labDc?: RTCDataChannel;
  labReceived?: number;
}

/**
 * Creates the page's connection. As 'offer' it also makes the data channel; as 'answer' it takes
 * the offer. Resolves with the local SDP once gathering is complete (so it carries every candidate).
 */
async function setUpSide(page: Page, role: 'offer' | 'answer', config: RTCConfiguration, remoteSdp = ''): Promise<string> {
  return page.evaluate(
    async ({ role, config, remoteSdp, timeoutMs }) => {
      const w = window as unknown as LabWindow;
      const pc = new RTCPeerConnection(config);
      w.labPc = pc;
      w.labReceived = 0;
      if (role === 'offer') {
        w.labDc = pc.createDataChannel('lab');
        await pc.setLocalDescription(await pc.createOffer());
      } else {
        pc.ondatachannel = ({ channel }) => {
          channel.binaryType = 'arraybuffer';
          channel.onmessage = ({ data }) => {
            w.labReceived = (w.labReceived ?? 0) + (data as ArrayBuffer).byteLength;
          };
        };
        await pc.setRemoteDescription({ type: 'offer', sdp: remoteSdp });
        await pc.setLocalDescription(await pc.createAnswer());
      }
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`ICE gathering not complete after ${timeoutMs} ms`)), timeoutMs);
        const check = (): void => {
          if (pc.iceGatheringState !== 'complete') return;
          clearTimeout(timer);
          resolve();
        };
        pc.addEventListener('icegatheringstatechange', check);
        check();
      });
      return pc.localDescription?.sdp ?? '';
    },
    { role, config, remoteSdp, timeoutMs: gatherTimeoutMs },
  );
}

/** The `a=candidate:` lines of an SDP. */
export function candidateLines(sdp: string): string[] {
  return sdp.split('\r\n').filter((line) => line.startsWith('a=candidate:'));
}

/** Connects `offerer` to `answerer` with `config`; returns both SDPs (with all their candidates). */
export async function connectPages(offerer: Page, answerer: Page, config: RTCConfiguration): Promise<{ offer: string; answer: string }> {
  const offer = await setUpSide(offerer, 'offer', config);
  const answer = await setUpSide(answerer, 'answer', config, offer);
  await offerer.evaluate((sdp) => (window as unknown as LabWindow).labPc?.setRemoteDescription({ type: 'answer', sdp }), answer);
  return { offer, answer };
}

/** Sends `bytes` from the offerer's data channel (once open) and waits until the answerer has them all. */
export async function sendAndReceive(offerer: Page, answerer: Page, bytes: number, timeoutMs: number): Promise<void> {
  await offerer.evaluate(
    async ({ bytes, chunkBytes, highWatermarkBytes, timeoutMs }) => {
      const dc = (window as unknown as LabWindow).labDc;
      if (!dc) throw new Error('no data channel: connectPages first');
      const deadline = Date.now() + timeoutMs;
      const until = async (ready: () => boolean, what: string): Promise<void> => {
        while (!ready()) {
          if (Date.now() > deadline) throw new Error(`data channel: ${what} (state ${dc.readyState})`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      await until(() => dc.readyState === 'open', 'did not open');
      for (let sent = 0; sent < bytes; sent += chunkBytes) {
        await until(() => dc.bufferedAmount <= highWatermarkBytes, 'send buffer did not drain');
        dc.send(new Uint8Array(Math.min(chunkBytes, bytes - sent)));
      }
    },
    { bytes, chunkBytes, highWatermarkBytes, timeoutMs },
  );
  await answerer.waitForFunction((n) => ((window as unknown as LabWindow).labReceived ?? 0) >= n, bytes, { timeout: timeoutMs });
}

/** The candidate types (`host`, `srflx`, `prflx`, `relay`) of the page's selected pair, local then remote. */
export async function selectedPairTypes(page: Page): Promise<{ local: string; remote: string }> {
  return page.evaluate(async () => {
    const pc = (window as unknown as LabWindow).labPc;
    if (!pc) throw new Error('no peer connection');
    const stats = [...(await pc.getStats()).values()] as Record<string, unknown>[];
    const transport = stats.find((s) => s.type === 'transport');
    const pair = stats.find((s) => s.id === transport?.selectedCandidatePairId);
    const typeOf = (id: unknown): string => String(stats.find((s) => s.id === id)?.candidateType ?? 'none');
    return { local: typeOf(pair?.localCandidateId), remote: typeOf(pair?.remoteCandidateId) };
  });
}
