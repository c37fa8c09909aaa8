// Shaping a lab home's access link with `tc tbf`: the upload on the router's WAN veth, the download on
// the same cable's internet end (shared/MEASURED.md, "Shaping links"). This kernel has tbf and htb but
// no netem, so only bandwidth is shaped: no added latency, jitter or loss beyond what the queue drops.

/** A home's access link: its rates in Mbit/s (10^6 bits per second), upload and download. */
export interface HomeLink {
  readonly upMbit: number;
  readonly downMbit: number;
}

/**
 * How long a packet may wait in a shaped link's queue before tbf drops it, in ms. The value of
 * MEASURED.md's recipe; a home router's buffer is often deeper (bufferbloat), which hides drops but
 * adds delay.
 */
export const queueLatencyMs = 100;

/** Smallest token bucket in bytes: four full Ethernet frames, so a packet never waits on a bucket smaller than itself. */
const minBurstBytes = 4 * 1514;

/** The bucket also holds this many ms of the rate, so fast links are not throttled by timer granularity. */
const burstMs = 10;

/** Slowest and fastest rates accepted, in Mbit/s: below 0.1 a home is not a home; above 10,000 the veth is the limit. */
const minMbit = 0.1;
const maxMbit = 10_000;

/** Why `link` cannot be shaped, or null when it can. */
export function invalidLinkReason(link: HomeLink): string | null {
  for (const rate of [link.upMbit, link.downMbit]) {
    if (!Number.isFinite(rate) || rate < minMbit || rate > maxMbit) return `rate ${rate} Mbit/s is outside ${minMbit}..${maxMbit}`;
  }
  return null;
}

/** The `tc` arguments that put a tbf of `mbit` on `dev` (replacing what was there). */
export function tbfArgs(dev: string, mbit: number): string[] {
  const bitsPerSecond = mbit * 1e6;
  const burstBytes = Math.max(minBurstBytes, Math.ceil((bitsPerSecond / 8) * (burstMs / 1000)));
  const kbit = Math.round(bitsPerSecond / 1000);
  return ['qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', String(burstBytes), 'latency', `${queueLatencyMs}ms`];
}

/** The `tc` arguments that remove `dev`'s root qdisc (back to the veth's own: unshaped). */
export function unshapeArgs(dev: string): string[] {
  return ['qdisc', 'del', 'dev', dev, 'root'];
}

/** What one direction of a link has carried since it was shaped: bytes and packets sent, packets dropped by the queue. */
export interface QueueCounters {
  readonly sentBytes: number;
  readonly sentPackets: number;
  readonly droppedPackets: number;
}

/** Reads `tc -s qdisc show dev X`'s first "Sent N bytes P pkt (dropped D, …" line; zeros when it has none (an unshaped veth). */
export function parseQueueCounters(text: string): QueueCounters {
  const match = /Sent (\d+) bytes (\d+) pkt \(dropped (\d+)/.exec(text);
  return { sentBytes: Number(match?.[1] ?? 0), sentPackets: Number(match?.[2] ?? 0), droppedPackets: Number(match?.[3] ?? 0) };
}
