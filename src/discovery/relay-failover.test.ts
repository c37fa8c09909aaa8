// Failing over between the relays of a pool: scripted sockets for the frame checks and the exact
// delays, then real relays (signaling/) on random ports for moving from a dead relay to a live one.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { createRelay, type Relay } from '../../signaling/relay';
import { createManualClock, type Clock } from '../core/clock';
import { waitFor } from '../test-support/swarm-fixtures';
import { baseBackoffMs, createRelayClient, type RelayClient } from './relay-client';
import { maxRelayUrlChars, maxRelayUrls } from './relay-urls';

const opened: RelayClient[] = [];
const running = new Set<Relay>();
afterEach(async () => {
  for (const client of opened.splice(0)) client.close();
  await Promise.all([...running].map((relay) => relay.close()));
  running.clear();
});

/** A socket the test drives by hand: it opens, receives frames and drops only when told. */
class ScriptedSocket {
  readyState = 0;
  readonly sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {}
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const relayA = 'wss://a.example/signal';
const relayB = 'wss://b.example/signal';
const relayC = 'wss://c.example/signal';
/** A room id the client must never put in a status or notice. */
const secretRoom = 'room-4f1c9e';

/** Where in each backoff window the client retries, unless a test gives its own draws. */
const jitterDraw = 0.2;

function scriptedClient(draws: number[] = []) {
  const clock = createManualClock();
  const sockets: ScriptedSocket[] = [];
  const statuses: { status: string; detail?: string }[] = [];
  const notices: string[] = [];
  let subscribedCount = 0;
  const relayClient = createRelayClient({
    url: relayA,
    peerId: 'peer-1',
    createSocket: (url) => {
      const socket = new ScriptedSocket(url);
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
    random: () => draws.shift() ?? jitterDraw,
    clock,
    onMessage: () => undefined,
    onSubscribed: () => subscribedCount++,
    onStatus: (status, detail) => statuses.push(detail === undefined ? { status } : { status, detail }),
    onNotice: (notice) => notices.push(notice),
  });
  opened.push(relayClient);
  const last = (): ScriptedSocket => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket yet');
    return socket;
  };
  /** The relays the client dialled, in order. */
  const dialled = (): string[] => sockets.map((socket) => socket.url);
  return { relayClient, clock, last, dialled, statuses, notices, subscribed: () => subscribedCount };
}

describe('relay failover, scripted sockets', () => {
  it('goes round the advertised relays after each close, re-subscribes on each, and wraps back to its own', () => {
    const c = scriptedClient();
    c.relayClient.subscribe(secretRoom);
    c.last().open();
    c.last().receive({ type: 'relays', urls: [relayB, relayC] });
    c.last().receive({ type: 'subscribed', topic: secretRoom });
    c.last().drop();
    expect(c.statuses.at(-1)).toEqual({ status: 'closed', detail: 'relay connection closed (1006); trying b.example next' });
    expect(c.clock.pending()).toEqual([jitterDraw * baseBackoffMs]);
    c.clock.advance(jitterDraw * baseBackoffMs);
    expect(c.dialled()).toEqual([relayA, relayB]);
    // B sends no list: the one learned from A stays.
    c.last().open();
    expect(c.last().sent).toEqual([{ type: 'subscribe', topic: secretRoom, peer: 'peer-1' }]);
    c.last().receive({ type: 'subscribed', topic: secretRoom });
    expect(c.subscribed()).toBe(2);
    c.last().drop(1013); // server busy
    c.clock.advance(jitterDraw * baseBackoffMs);
    c.last().drop(); // C is down: it never opens
    c.clock.advance(jitterDraw * baseBackoffMs * 2);
    expect(c.dialled()).toEqual([relayA, relayB, relayC, relayA]);
    const said = [...c.statuses.map((s) => s.detail ?? ''), ...c.notices].join('\n');
    expect(said).not.toContain(secretRoom);
  });

  it('keeps in the rotation the relay it failed over to, though that relay lists only the others', () => {
    const c = scriptedClient();
    c.last().open();
    c.last().receive({ type: 'relays', urls: [relayB] });
    c.last().drop();
    c.clock.advance(jitterDraw * baseBackoffMs);
    c.last().open();
    c.last().receive({ type: 'relays', urls: [relayA, relayC] }); // B's view of the pool
    for (let failures = 2; failures <= 4; failures++) {
      c.last().drop();
      c.clock.advance(jitterDraw * baseBackoffMs * 2 ** (failures - 1));
    }
    expect(c.dialled()).toEqual([relayA, relayB, relayA, relayC, relayB]);
    expect(c.notices).toEqual([]);
  });

  it.each([
    ['not a list', relayB],
    ['no list at all', undefined],
    ['an http: URL', [relayB, 'http://b.example/signal']],
    ['a javascript: URL', ['javascript:alert(1)']],
    ['a non-string entry', [relayB, 42]],
    ['too many URLs', Array.from({ length: maxRelayUrls + 1 }, (_, i) => `wss://r${i}.example/signal`)],
    ['a URL too long', [`wss://b.example/${'x'.repeat(maxRelayUrlChars)}`]],
  ])('says so and keeps its list when the relay sends %s', (_label, urls) => {
    const c = scriptedClient();
    c.last().open();
    c.last().receive({ type: 'relays', urls: [relayB] });
    c.last().receive({ type: 'relays', urls });
    expect(c.notices).toEqual(['relay sent a malformed relay list']);
    for (let failures = 1; failures <= 2; failures++) {
      c.last().drop();
      c.clock.advance(jitterDraw * baseBackoffMs * 2 ** (failures - 1));
    }
    expect(c.dialled()).toEqual([relayA, relayB, relayA]);
  });

  it('waits a full-jitter delay, random() times the cap, before each failover, and starts over once subscribed', () => {
    const draws = [0.9, 0.35, 0.6];
    const c = scriptedClient([...draws]);
    c.relayClient.subscribe(secretRoom);
    c.last().open();
    c.last().receive({ type: 'relays', urls: [relayB] });
    c.last().receive({ type: 'subscribed', topic: secretRoom });
    c.last().drop();
    expect(c.clock.pending()).toEqual([0.9 * baseBackoffMs]);
    c.clock.advance(0.9 * baseBackoffMs - 1);
    expect(c.dialled()).toEqual([relayA]); // not yet
    c.clock.advance(1);
    expect(c.dialled()).toEqual([relayA, relayB]);
    c.last().drop(); // B is down too: the cap doubles
    expect(c.clock.pending()).toEqual([0.35 * baseBackoffMs * 2]);
    c.clock.advance(0.35 * baseBackoffMs * 2);
    c.last().open();
    c.last().receive({ type: 'subscribed', topic: secretRoom });
    c.last().drop(); // subscribed on A again: back to the first cap
    expect(c.clock.pending()).toEqual([0.6 * baseBackoffMs]);
    expect(c.dialled()).toEqual([relayA, relayB, relayA]);
  });

  it('moves on when a socket cannot even be created', () => {
    const clock = createManualClock();
    const dialled: string[] = [];
    const statuses: string[] = [];
    const made: ScriptedSocket[] = [];
    opened.push(
      createRelayClient({
        url: relayA,
        createSocket: (url) => {
          dialled.push(url);
          if (made.length > 0) throw new SyntaxError('refused by the page'); // as a browser refuses a bad URL
          made.push(new ScriptedSocket(url));
          return made[0] as unknown as WebSocket;
        },
        random: () => jitterDraw,
        clock,
        onMessage: () => undefined,
        onSubscribed: () => undefined,
        onStatus: (_status, detail) => statuses.push(detail ?? ''),
      }),
    );
    made[0]?.open();
    made[0]?.receive({ type: 'relays', urls: [relayB] });
    made[0]?.drop();
    clock.advance(jitterDraw * baseBackoffMs);
    expect(statuses.at(-1)).toBe('cannot reach the relay: SyntaxError: refused by the page; trying a.example next');
    clock.advance(jitterDraw * baseBackoffMs * 2);
    expect(dialled).toEqual([relayA, relayB, relayA]);
  });
});

const signalUrl = (port: number): string => `ws://127.0.0.1:${port}/signal`;

async function startRelay(port = 0, relayUrls: readonly string[] = []): Promise<Relay> {
  const relay = await createRelay({ port, host: '127.0.0.1', log: () => undefined, relayUrls });
  running.add(relay);
  return relay;
}

async function stopRelay(relay: Relay): Promise<void> {
  running.delete(relay);
  await relay.close();
}

/** A relay client over Node's ws, recording the relays it dials and what it hears. */
function socketClient(port: number, clock: Clock = createManualClock()) {
  const dialled: string[] = [];
  const received: string[] = [];
  const statuses: { status: string; detail?: string }[] = [];
  let subscribedCount = 0;
  const relayClient = createRelayClient({
    url: signalUrl(port),
    createSocket: (url) => {
      dialled.push(url);
      // The browser's WebSocket and ws share the on* handler API the client uses.
      return new NodeWebSocket(url) as unknown as WebSocket;
    },
    random: () => jitterDraw,
    clock,
    onMessage: (_topic, data) => received.push(data),
    onSubscribed: () => subscribedCount++,
    onStatus: (status, detail) => statuses.push(detail === undefined ? { status } : { status, detail }),
  });
  opened.push(relayClient);
  const closedCount = (): number => statuses.filter((s) => s.status === 'closed').length;
  return { relayClient, dialled, received, statuses, closedCount, subscribed: () => subscribedCount };
}

describe('relay failover, real relays', () => {
  it('moves from relay A to relay B, which A advertised, when A goes down, and hears B\'s members', async () => {
    const b = await startRelay();
    const a = await startRelay(0, [signalUrl(b.address.port)]);
    const clock = createManualClock();
    const page = socketClient(a.address.port, clock);
    page.relayClient.subscribe('room-failover');
    // The relay sends its list before it answers the subscription, so once subscribed the page knows B.
    await waitFor(() => page.subscribed() === 1, 5000, 'the subscription on A');
    const member = socketClient(b.address.port);
    member.relayClient.subscribe('room-failover');
    await waitFor(() => member.subscribed() === 1, 5000, 'the member on B');
    await stopRelay(a);
    await waitFor(() => page.closedCount() === 1, 5000, 'noticing that A is down');
    expect(page.statuses.at(-1)?.detail).toContain(`; trying 127.0.0.1:${b.address.port} next`);
    expect(clock.pending()).toEqual([jitterDraw * baseBackoffMs]);
    clock.advance(jitterDraw * baseBackoffMs);
    await waitFor(() => page.subscribed() === 2, 5000, 're-subscribing on B');
    expect(page.dialled).toEqual([signalUrl(a.address.port), signalUrl(b.address.port)]);
    member.relayClient.publish('room-failover', 'hello from B');
    await waitFor(() => page.received.includes('hello from B'), 5000, 'delivery through B');
    page.relayClient.publish('room-failover', 'hello back');
    await waitFor(() => member.received.includes('hello back'), 5000, 'delivery from the page');
  });

  it('wraps round to A when B is down too and A is back on its port', async () => {
    const b = await startRelay();
    const bUrl = signalUrl(b.address.port);
    const first = await startRelay(0, [bUrl]);
    const port = first.address.port;
    const clock = createManualClock();
    const page = socketClient(port, clock);
    page.relayClient.subscribe('room-wrap');
    await waitFor(() => page.subscribed() === 1, 5000, 'the subscription on A');
    await stopRelay(first);
    await stopRelay(b);
    await waitFor(() => page.closedCount() === 1, 5000, 'noticing that A is down');
    clock.advance(jitterDraw * baseBackoffMs);
    await waitFor(() => page.closedCount() === 2, 5000, 'finding B down');
    expect(clock.pending()).toEqual([jitterDraw * baseBackoffMs * 2]);
    await startRelay(port, [bUrl]);
    clock.advance(jitterDraw * baseBackoffMs * 2);
    await waitFor(() => page.subscribed() === 2, 5000, 're-subscribing on A');
    expect(page.dialled).toEqual([signalUrl(port), bUrl, signalUrl(port)]);
  });
});
