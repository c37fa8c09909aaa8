// The modelled network: each host has an uplink and a downlink capacity; each flow (one direction of
// one link) carries frames in order from one host to another. Flows with bytes queued share
// capacity max-min fairly under both ends' limits (fair-share.ts); a frame leaves its sender once its
// last byte is through, and arrives one link latency later. Everything runs on the simulation's clock.
import type { TimerHandle } from '../../src/core/clock';
import type { EventClock } from './event-clock';
import { maxMinRates } from './fair-share';

/** A host's access link, in bytes per second each way. */
export interface HostCapacity {
  readonly upBytesPerSecond: number;
  readonly downBytesPerSecond: number;
}

/** A host on the network (a peer's access link). */
export interface Host {
  readonly index: number;
  capacity: HostCapacity;
}

/** What a flow tells its link. */
export interface FlowHandlers {
  /** A frame arrived at the receiver (one latency after its last byte left). */
  delivered(frame: Uint8Array): void;
  /** A frame's last byte left the sender: its queue is that much shorter. */
  drained(): void;
}

/** One direction of one link. */
export interface Flow {
  /** Queues a frame behind those already queued. */
  enqueue(frame: Uint8Array): void;
  /** Bytes queued and not yet sent (a data channel's bufferedAmount). */
  readonly queuedBytes: number;
  /** Drops what is queued and stops; frames already sent still arrive. */
  close(): void;
}

/** How the network is built. */
export interface NetworkOptions {
  readonly clock: EventClock;
  /**
   * Rates are recomputed at most once per this many ms, on a grid, as flows start and stop (0: at
   * every change). A flow that starts between grid points waits for the next one; a flow that empties
   * keeps its share until then. Exact max-min at every small frame would cost far more than the engines.
   */
  readonly rateQuantumMs?: number;
}

/** The modelled network. */
export interface Network {
  addHost(capacity: HostCapacity): Host;
  openFlow(from: Host, to: Host, latencyMs: number, handlers: FlowHandlers): Flow;
  /** Changes a host's capacities (0 stops its flows: a receiver that does not read, in tests). */
  setCapacity(host: Host, capacity: HostCapacity): void;
  /** How often rates were recomputed, and the most flows sharing at once (for the report). */
  readonly stats: { recomputes: number; maxActiveFlows: number };
}

interface FlowState extends Flow {
  readonly from: Host;
  readonly to: Host;
  readonly latencyMs: number;
  readonly handlers: FlowHandlers;
  /** Frames not yet sent, the head first. */
  readonly queue: Uint8Array[];
  queuedBytes: number;
  closed: boolean;
  /** Bytes per ms allotted at the last recompute (0: none yet). */
  rate: number;
  /** Bytes of the head frame already sent, as of `sinceMs`. */
  headSent: number;
  sinceMs: number;
  timer: TimerHandle | null;
}

/** A network with no hosts yet. */
export function createNetwork(options: NetworkOptions): Network {
  const { clock } = options;
  const quantumMs = options.rateQuantumMs ?? 0;
  const hosts: Host[] = [];
  /** Flows with bytes queued. */
  const active = new Set<FlowState>();
  /** Flows holding a share (a flow that empties keeps it until the next recompute). */
  const sharing = new Set<FlowState>();
  let recomputeTimer: TimerHandle | null = null;
  const stats = { recomputes: 0, maxActiveFlows: 0 };

  const catchUp = (flow: FlowState): void => {
    flow.headSent += flow.rate * (clock.now() - flow.sinceMs);
    flow.sinceMs = clock.now();
  };
  /** Sets the timer for the head frame's last byte at the flow's rate (none without a rate or a frame). */
  const scheduleHead = (flow: FlowState): void => {
    if (flow.timer !== null) clock.clearTimeout(flow.timer);
    flow.timer = null;
    const head = flow.queue[0];
    if (head === undefined || flow.rate <= 0) return;
    flow.timer = clock.setTimeout(() => headSent(flow), Math.max(0, head.length - flow.headSent) / flow.rate);
  };
  const markChanged = (): void => {
    if (recomputeTimer !== null) return;
    const dueMs = quantumMs > 0 ? Math.ceil(clock.now() / quantumMs) * quantumMs : clock.now();
    recomputeTimer = clock.setTimeout(recompute, dueMs - clock.now());
  };

  function headSent(flow: FlowState): void {
    flow.timer = null;
    const frame = flow.queue.shift();
    if (!frame) return;
    flow.queuedBytes -= frame.length;
    flow.headSent = 0;
    flow.sinceMs = clock.now();
    clock.setTimeout(() => flow.handlers.delivered(frame), flow.latencyMs);
    flow.handlers.drained();
    if (flow.queue.length > 0) return scheduleHead(flow);
    active.delete(flow);
    markChanged();
  }

  function recompute(): void {
    recomputeTimer = null;
    stats.recomputes++;
    stats.maxActiveFlows = Math.max(stats.maxActiveFlows, active.size);
    const flows = [...active];
    for (const flow of flows) catchUp(flow);
    const capacities = hosts.flatMap((h) => [h.capacity.upBytesPerSecond / 1000, h.capacity.downBytesPerSecond / 1000]);
    const rates = maxMinRates(
      capacities,
      flows.map((f) => ({ up: 2 * f.from.index, down: 2 * f.to.index + 1 })),
    );
    for (const flow of sharing) if (!active.has(flow)) flow.rate = 0;
    sharing.clear();
    flows.forEach((flow, i) => {
      const rate = rates[i] ?? 0;
      sharing.add(flow);
      if (rate === flow.rate && flow.timer !== null) return;
      flow.rate = rate;
      scheduleHead(flow);
    });
  }

  return {
    stats,
    addHost(capacity) {
      const host = { index: hosts.length, capacity };
      hosts.push(host);
      return host;
    },
    setCapacity(host, capacity) {
      host.capacity = capacity;
      markChanged();
    },
    openFlow(from, to, latencyMs, handlers) {
      const flow: FlowState = {
        from,
        to,
        latencyMs,
        handlers,
        queue: [],
        queuedBytes: 0,
        closed: false,
        rate: 0,
        headSent: 0,
        sinceMs: clock.now(),
        timer: null,
        enqueue(frame) {
          if (flow.closed) return;
          flow.queue.push(frame);
          flow.queuedBytes += frame.length;
          if (flow.queue.length > 1) return;
          active.add(flow);
          flow.headSent = 0;
          flow.sinceMs = clock.now();
          // A flow that still holds a share (it emptied since the last recompute) goes on at once.
          if (flow.rate > 0) scheduleHead(flow);
          else markChanged();
        },
        close() {
          if (flow.closed) return;
          flow.closed = true;
          if (flow.timer !== null) clock.clearTimeout(flow.timer);
          flow.timer = null;
          flow.queue.length = 0;
          flow.queuedBytes = 0;
          if (active.delete(flow) || sharing.has(flow)) markChanged();
        },
      };
      return flow;
    },
  };
}
