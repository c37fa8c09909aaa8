// What the relay counts, for GET /metrics (Prometheus text, made by prom-client) and GET /healthz.
// Counts only: no room id, address or payload ever becomes a label.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BridgeMetrics } from './redis-bridge.js';
import type { Log } from './log.js';

/** What the relay's parts report. */
export interface RelayMetrics extends BridgeMetrics {
  /** One registry per relay, so several relays in one process (tests) keep their own counts. */
  readonly registry: Registry;
  frameIn(type: string): void;
  frameOut(type: string, count?: number): void;
  refused(reason: string): void;
}

/** Where the gauges read their values when scraped. */
export interface RelayGauges {
  sockets(): number;
  rooms(): number;
}

export function createRelayMetrics(read: RelayGauges): RelayMetrics {
  const registry = new Registry();
  new Gauge({ name: 'swarmdrop_relay_sockets', help: 'Open WebSocket connections', registers: [registry], collect() { this.set(read.sockets()); } });
  new Gauge({ name: 'swarmdrop_relay_rooms', help: 'Rooms (topics) with at least one member', registers: [registry], collect() { this.set(read.rooms()); } });
  const framesIn = new Counter({ name: 'swarmdrop_relay_frames_in_total', help: 'Frames received from sockets, by type', labelNames: ['type'], registers: [registry] });
  const framesOut = new Counter({ name: 'swarmdrop_relay_frames_out_total', help: 'Frames sent to sockets, by type', labelNames: ['type'], registers: [registry] });
  const refusals = new Counter({ name: 'swarmdrop_relay_refusals_total', help: 'Connections, subscriptions and frames refused, by reason', labelNames: ['reason'], registers: [registry] });
  const publishLatency = new Histogram({
    name: 'swarmdrop_relay_redis_publish_seconds',
    help: 'Time from a PUBLISH sent to Redis to its reply',
    // 0.1 ms to 1 s: loopback answers in well under a millisecond, a loaded network Redis in tens.
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const publishDropped = new Counter({
    name: 'swarmdrop_relay_redis_publish_dropped_total',
    help: 'Messages not handed to Redis, by reason (disconnected, backlog, failed)',
    labelNames: ['reason'],
    registers: [registry],
  });
  return {
    registry,
    publishSeconds: (seconds) => publishLatency.observe(seconds),
    publishDropped: (reason) => publishDropped.inc({ reason }),
    frameIn: (type) => framesIn.inc({ type }),
    frameOut: (type, count = 1) => framesOut.inc({ type }, count),
    refused: (reason) => refusals.inc({ reason }),
  };
}

/** The reason a log entry records for a refusal, or null for any other entry. */
export function refusalOf(entry: Record<string, unknown>): string | null {
  const reason = typeof entry.reason === 'string' ? entry.reason : 'unknown';
  switch (entry.event) {
    case 'connection-refused':
      return reason;
    case 'frame-rejected':
      return `frame-${reason}`;
    case 'topic-full':
    case 'origin-rejected':
    case 'slow-consumer':
    case 'ping-timeout':
      return entry.event;
    default:
      return null;
  }
}

/** `log`, also counting every refusal it records. */
export function countingRefusals(log: Log, metrics: Pick<RelayMetrics, 'refused'>): Log {
  return (entry) => {
    const reason = refusalOf(entry);
    if (reason !== null) metrics.refused(reason);
    log(entry);
  };
}
