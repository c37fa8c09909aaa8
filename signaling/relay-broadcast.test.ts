// A room-wide message in a room bigger than maxBroadcastRecipients reaches that many members drawn
// at random (limits.ts): real relay, real WebSocket clients, the limit shrunk to 3.
import { afterEach, describe, expect, it } from 'vitest';
import { metricsPath } from './relay.js';
import { createHarness, type StartedRelay } from './test-support/relay-harness.js';
import { ofType, type TestClient } from './test-support/ws-client.js';
import { createPrng } from './test-support/prng.js';

const harness = createHarness();
afterEach(() => harness.closeAll());

/** The limit in these tests: small, so a room of a few sockets is "big". */
const recipients = 3;

/** Starts a relay with the small limit and `size` members of 'room', member i as peer `p${i}`. */
async function roomOf(size: number): Promise<{ relay: StartedRelay; members: TestClient[] }> {
  const relay = await harness.start({ limits: { maxBroadcastRecipients: recipients }, random: createPrng(22).next });
  const members = await Promise.all(Array.from({ length: size }, () => relay.client()));
  for (const [i, member] of members.entries()) await member.subscribe('room', `p${i}`);
  return { relay, members };
}

/** After a barrier on the sender and then on everyone: the data of the messages each member holds. */
async function received(sender: TestClient, members: readonly TestClient[]): Promise<string[][]> {
  await sender.sync();
  await Promise.all(members.map((member) => member.sync()));
  return members.map((member) => member.pending(ofType('message')).map((frame) => String(frame['data'])));
}

describe('room-wide messages in a big room', () => {
  it('reach exactly the limit, distinct members drawn anew each time, never the sender', async () => {
    const { members } = await roomOf(8);
    const sender = members[0] as TestClient;
    const sent = Array.from({ length: 12 }, (_, i) => `hello-${i}`);
    for (const data of sent) sender.send({ type: 'publish', topic: 'room', data });
    const held = await received(sender, members);

    expect(held[0]).toEqual([]);
    for (const data of sent) {
      const copies = held.map((messages) => messages.filter((m) => m === data).length);
      expect(copies.reduce((a, b) => a + b)).toBe(recipients);
      expect(Math.max(...copies)).toBe(1);
    }
    // Drawn anew for each message: over twelve, every other member was among the drawn.
    expect(held.slice(1).every((messages) => messages.length > 0)).toBe(true);
  });

  it('reach everyone else in a room at or below the limit', async () => {
    const { members } = await roomOf(recipients + 1);
    const sender = members[2] as TestClient;
    sender.send({ type: 'publish', topic: 'room', data: 'hello' });
    expect(await received(sender, members)).toEqual([['hello'], ['hello'], [], ['hello']]);
  });

  it('leave addressed messages as they were: the addressed peer alone, however big the room', async () => {
    const { members } = await roomOf(8);
    const sender = members[1] as TestClient;
    for (let i = 0; i < 8; i++) sender.send({ type: 'publish', topic: 'room', data: `for-p${i}`, to: `p${i}` });
    const held = await received(sender, members);
    expect(held).toEqual(members.map((_, i) => (i === 1 ? [] : [`for-p${i}`])));
  });

  it('count in /metrics the frames actually delivered', async () => {
    const { relay, members } = await roomOf(6);
    const sender = members[5] as TestClient;
    for (let i = 0; i < 4; i++) sender.send({ type: 'publish', topic: 'room', data: `hello-${i}` });
    await received(sender, members);
    const body = await (await fetch(new URL(metricsPath, relay.relay.address.url))).text();
    expect(body).toContain(`swarmdrop_relay_frames_out_total{type="message"} ${4 * recipients}\n`);
  });
});
