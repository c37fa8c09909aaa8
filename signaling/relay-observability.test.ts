// GET /healthz and GET /metrics: counts of sockets, rooms, frames by type and refusals by reason, and
// never a room id or an address.
import { afterEach, describe, expect, it } from 'vitest';
import { healthPath, metricsPath } from './relay.js';
import { createHarness } from './test-support/relay-harness.js';
import { ofType } from './test-support/ws-client.js';

const harness = createHarness();
afterEach(() => harness.closeAll());

const get = async (base: string, path: string) => {
  const response = await fetch(new URL(path, base));
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
};

/** The value of one Prometheus sample line (`name{labels} value`), or undefined if absent. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('relay health and metrics', () => {
  it('report sockets, rooms, frames by type and refusals by reason, without room ids or addresses', async () => {
    const started = await harness.start({ limits: { maxSocketsPerTopic: 2 } });
    const base = started.relay.address.url;
    const room = 'a-secret-looking-room-id-0123456789';
    const [a, b, c] = await Promise.all([started.client(), started.client(), started.client()]);
    await a.subscribe(room);
    await b.subscribe(room);
    c.send({ type: 'subscribe', topic: room }); // the room holds 2: refused
    expect(await c.next(ofType('error'))).toMatchObject({ code: 'topic-full' });
    a.send({ type: 'publish', topic: room, data: 'hello' });
    await b.next(ofType('message'));

    const health = await get(base, healthPath);
    expect(health.status).toBe(200);
    expect(health.type).toMatch(/application\/json/);
    expect(JSON.parse(health.body)).toEqual({ up: true, redis: 'not configured', sockets: 3, rooms: 1 });

    const metrics = await get(base, metricsPath);
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/text\/plain/);
    expect(sample(metrics.body, 'swarmdrop_relay_sockets')).toBe(3);
    expect(sample(metrics.body, 'swarmdrop_relay_rooms')).toBe(1);
    expect(sample(metrics.body, 'swarmdrop_relay_frames_in_total{type="subscribe"}')).toBe(3);
    expect(sample(metrics.body, 'swarmdrop_relay_frames_in_total{type="publish"}')).toBe(1);
    expect(sample(metrics.body, 'swarmdrop_relay_frames_out_total{type="message"}')).toBe(1);
    expect(sample(metrics.body, 'swarmdrop_relay_frames_out_total{type="subscribed"}')).toBe(2);
    expect(sample(metrics.body, 'swarmdrop_relay_refusals_total{reason="topic-full"}')).toBe(1);

    for (const body of [health.body, metrics.body]) {
      expect(body).not.toContain(room);
      expect(body).not.toMatch(/127\.0\.0\.1|::1/);
    }
  });
});
