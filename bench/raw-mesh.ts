// The floor of a swarm: the bytes a perfect swarm of n peers moves, over raw RTCDataChannels between
// n fresh contexts. The sharer sends each of the n−1 downloaders a different 1/(n−1) of the file and
// each downloader passes its part to every other one, so each receives the file once and the sharer
// sends it once, all flows at the same time. What Swarmdrop adds on top (verifying, storing, asking,
// the page) is the swarm's figure divided by this one, measured in the same run.
import type { Browser, Page } from '@playwright/test';
import { appUrl, openPeer, type TestPeer } from '../e2e/peers';
import { cpuSince, snapshotCpu, type CpuUse } from './cpu';
import { closeRawConnections, openRawConnection, rawMessageBytes, receivedAt, sendRaw } from './raw-channel';

/** A raw mesh's figures: MB = 10^6 bytes, per MB delivered to the downloaders. */
export interface RawMeshResult {
  readonly peers: number;
  readonly deliveredBytes: number;
  readonly seconds: number;
  readonly aggregateMBps: number;
  readonly cpuMsPerMB: number;
  readonly cpu: CpuUse;
}

/** Measures one raw mesh of `peers` contexts (one sharer) moving a file of `fileBytes`. */
export async function measureRawMesh(browser: Browser, peers: number, fileBytes: number): Promise<RawMeshResult> {
  const contexts: TestPeer[] = [];
  for (let i = 0; i < peers; i++) contexts.push(await openPeer(browser, appUrl()));
  try {
    const page = (index: number): Page => {
      const found = contexts[index]?.page;
      if (!found) throw new Error(`no page ${index}`);
      return found;
    };
    const downloaders = peers - 1;
    // Whole messages per part, so every flow ends on a message boundary.
    const part = Math.ceil(fileBytes / downloaders / rawMessageBytes) * rawMessageBytes;
    const flows: { from: number; to: number }[] = [];
    for (let d = 1; d <= downloaders; d++) {
      flows.push({ from: 0, to: d });
      for (let other = 1; other <= downloaders; other++) if (other !== d) flows.push({ from: d, to: other });
    }
    for (const [k, { from, to }] of flows.entries()) await openRawConnection(page(from), page(to), `mesh${k}`, part);
    const cpuStart = snapshotCpu();
    const startMs = Date.now();
    await Promise.all(
      flows.map(async ({ from, to }, k) => {
        const received = receivedAt(page(to), `mesh${k}`);
        await sendRaw(page(from), `mesh${k}`, part);
        if ((await received) === undefined) throw new Error(`raw mesh flow ${k} was not set up`);
      }),
    );
    const seconds = (Date.now() - startMs) / 1000;
    const cpu = cpuSince(cpuStart);
    const deliveredBytes = downloaders * downloaders * part;
    return { peers, deliveredBytes, seconds, aggregateMBps: deliveredBytes / 1e6 / seconds, cpuMsPerMB: cpu.browserMs / (deliveredBytes / 1e6), cpu };
  } finally {
    for (const peer of contexts) {
      await closeRawConnections(peer.page).catch(() => undefined);
      await peer.context.close();
    }
  }
}
