import { createHmac, randomBytes } from 'node:crypto';
import { createSocket, type SocketType } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeXorAddress, encodeStunMessage, encodeXorAddress, parseStunMessage, stunAttribute, stunBindingMethod, type StunMessage } from './stun-codec.js';
import { createStunServer, type StunServer, type StunServerOptions } from './stun-server.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// RFC 5769 §2.1-§2.3, byte for byte. Short-term password for all three: "VOkJxbRl1RmTxUk/WvJxBt".
const rfcPassword = 'VOkJxbRl1RmTxUk/WvJxBt';
const rfcTransactionId = 'b7e7a701bc34d686fa87dfae';
const sampleRequest = hex(`00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2  80 28 00 04 e5 7a 3b cf`);
const sampleIpv4Response = hex(`01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7  80 28 00 04 c0 7d 4c 96`);
const sampleIpv6Response = hex(`01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41  80 28 00 04 c8 fb 0b 4c`);

/** PRIORITY and ICE-CONTROLLED (RFC 8445 §16.1): in the §2.1 vector, not read by the codec itself. */
const priorityType = 0x0024;
const iceControlledType = 0x8029;
const usernameType = 0x0006;
/** The TURN Allocate method: a well-formed request for a method this server does not serve. */
const allocateMethod = 0x003;

function parsed(bytes: Uint8Array): StunMessage {
  const result = parseStunMessage(bytes);
  if (!result.ok) throw new Error(`expected a STUN message, got ${result.reason}`);
  return result.message;
}

function attributeValue(message: StunMessage, type: number): Buffer {
  const attribute = message.attributes.find((candidate) => candidate.type === type);
  if (attribute === undefined) throw new Error(`attribute 0x${type.toString(16)} missing`);
  return Buffer.from(attribute.value);
}

/** MESSAGE-INTEGRITY per RFC 8489 §14.5: HMAC-SHA1 over the bytes before it, length field ending at it. */
function integrityValid(bytes: Buffer, message: StunMessage, password: string): boolean {
  const integrity = message.attributes.find((attribute) => attribute.type === stunAttribute.messageIntegrity);
  if (integrity === undefined) return false;
  const covered = Buffer.from(bytes.subarray(0, integrity.offset));
  covered.writeUInt16BE(integrity.offset + 4 + integrity.value.length - 20, 2);
  return createHmac('sha1', password).update(covered).digest().equals(Buffer.from(integrity.value));
}

describe('STUN codec against RFC 5769', () => {
  it('§2.1 sample request: decodes, FINGERPRINT and MESSAGE-INTEGRITY verify, attributes read', () => {
    const message = parsed(sampleRequest);
    expect(message).toMatchObject({ method: stunBindingMethod, class: 'request', hasFingerprint: true });
    expect(Buffer.from(message.transactionId).toString('hex')).toBe(rfcTransactionId);
    expect(message.attributes.map((attribute) => attribute.type)).toEqual([
      stunAttribute.software, priorityType, iceControlledType, usernameType, stunAttribute.messageIntegrity, stunAttribute.fingerprint,
    ]);
    expect(attributeValue(message, stunAttribute.software).toString()).toBe('STUN test client');
    expect(attributeValue(message, priorityType).readUInt32BE(0)).toBe(0x6e0001ff);
    expect(attributeValue(message, iceControlledType).toString('hex')).toBe('932ff9b151263b36');
    expect(attributeValue(message, usernameType).toString()).toBe('evtj:h6vY');
    expect(integrityValid(sampleRequest, message, rfcPassword)).toBe(true);
    expect(integrityValid(sampleRequest, message, 'wrong password')).toBe(false);
  });

  it('§2.1 with one byte changed fails the FINGERPRINT check', () => {
    const tampered = Buffer.from(sampleRequest);
    tampered[24] = 0x73; // 'S' of SOFTWARE -> 's'
    expect(parseStunMessage(tampered)).toEqual({ ok: false, reason: 'bad-fingerprint' });
  });

  it.each([
    ['§2.2 IPv4', sampleIpv4Response, { family: 'IPv4', address: '192.0.2.1', port: 32853 }],
    ['§2.3 IPv6', sampleIpv6Response, { family: 'IPv6', address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 }],
  ] as const)('%s sample response: XOR-MAPPED-ADDRESS decodes, and encodes back to the same bytes', (_, bytes, expected) => {
    const message = parsed(bytes);
    expect(message).toMatchObject({ method: stunBindingMethod, class: 'success', hasFingerprint: true });
    expect(attributeValue(message, stunAttribute.software).toString()).toBe('test vector');
    expect(integrityValid(bytes, message, rfcPassword)).toBe(true);
    const xorValue = attributeValue(message, stunAttribute.xorMappedAddress);
    expect(decodeXorAddress(xorValue, message.transactionId)).toEqual(expected);
    expect(Buffer.from(encodeXorAddress(expected.address, expected.port, message.transactionId))).toEqual(xorValue);
  });
});

/** A UDP client that queues what it receives, so tests await answers instead of sleeping. */
interface UdpClient {
  readonly port: number;
  send(bytes: Uint8Array, to: { readonly host: string; readonly port: number }): Promise<void>;
  next(): Promise<Buffer>;
}

/** How long a test waits for an answer that must come; loopback answers take microseconds. */
const answerTimeoutMs = 2000;

const servers: StunServer[] = [];
const sockets: { close(): void }[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startServer(options: Partial<StunServerOptions> = {}): Promise<{ server: StunServer; logs: Record<string, unknown>[] }> {
  const logs: Record<string, unknown>[] = [];
  const server = await createStunServer({ port: 0, host: '127.0.0.1', log: (entry) => logs.push(entry), ...options });
  servers.push(server);
  return { server, logs };
}

async function openClient(type: SocketType, host: string): Promise<UdpClient> {
  const socket = createSocket(type);
  const queue: Buffer[] = [];
  const waiters: ((packet: Buffer) => void)[] = [];
  socket.on('message', (packet) => (waiters.shift() ?? ((p: Buffer) => queue.push(p)))(packet));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => resolve());
  });
  sockets.push(socket);
  return {
    port: socket.address().port,
    send: (bytes, to) => new Promise((resolve, reject) => socket.send(bytes, to.port, to.host, (error) => (error ? reject(error) : resolve()))),
    next: () => {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no STUN answer')), answerTimeoutMs);
        waiters.push((packet) => (clearTimeout(timer), resolve(packet)));
      });
    },
  };
}

/** How often `waitForLog` looks again; logs are in-process, so polling is cheap. */
const logPollMs = 5;

/** Resolves with the first log entry matching `predicate`: how a test sees a drop, which sends nothing back. */
async function waitForLog(logs: readonly Record<string, unknown>[], predicate: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const deadline = Date.now() + answerTimeoutMs;
  for (;;) {
    const found = logs.find(predicate);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('log entry never written');
    await new Promise((resolve) => setTimeout(resolve, logPollMs));
  }
}

/** Whether this machine can bind a UDP socket on `host` (e.g. no IPv6 loopback in some containers). */
async function canBind(type: SocketType, host: string): Promise<boolean> {
  const socket = createSocket(type);
  const ok = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(0, host, () => resolve(true));
  });
  socket.close();
  return ok;
}

const hasIpv6Loopback = await canBind('udp6', '::1');
const hasSecondIpv4Loopback = await canBind('udp4', '127.0.0.2');

const bindingRequest = (transactionId: Uint8Array = randomBytes(12)): Buffer =>
  encodeStunMessage({ method: stunBindingMethod, class: 'request', transactionId, fingerprint: true });

/** Sends a Binding request and checks the answer: same transaction, valid FINGERPRINT, the client's own address. */
async function expectAnswered(client: UdpClient, to: { host: string; port: number }, clientHost: string): Promise<void> {
  const transactionId = randomBytes(12);
  await client.send(bindingRequest(transactionId), to);
  const answer = parsed(await client.next());
  expect(answer).toMatchObject({ method: stunBindingMethod, class: 'success', hasFingerprint: true });
  expect(Buffer.from(answer.transactionId)).toEqual(transactionId);
  const mapped = decodeXorAddress(attributeValue(answer, stunAttribute.xorMappedAddress), answer.transactionId);
  expect(mapped).toMatchObject({ address: clientHost, port: client.port });
}

describe('STUN server over UDP', () => {
  it('answers a Binding request on 127.0.0.1 with the client address', async () => {
    const { server, logs } = await startServer();
    const client = await openClient('udp4', '127.0.0.1');
    await expectAnswered(client, server.address, '127.0.0.1');
    expect(server.stats()).toMatchObject({ received: 1, answered: 1, sendErrors: 0 });
    expect(logs).toEqual([{ event: 'stun-listening', host: '127.0.0.1', port: server.address.port }]);
  });

  it.skipIf(!hasIpv6Loopback)('answers over ::1, and an IPv4 client of a dual-stack socket as IPv4 (skipped when the machine has no IPv6 loopback)', async () => {
    const { server } = await startServer({ host: '::1' });
    const client = await openClient('udp6', '::1');
    await expectAnswered(client, server.address, '::1');

    const { server: dualStack } = await startServer({ host: '::' });
    const v4Client = await openClient('udp4', '127.0.0.1');
    await expectAnswered(v4Client, { host: '127.0.0.1', port: dualStack.address.port }, '127.0.0.1');
  });

  it('drops hostile input without answering, counts each reason, logs it once without addresses', async () => {
    const { server, logs } = await startServer();
    const client = await openClient('udp4', '127.0.0.1');
    const request = bindingRequest();
    const withByte = (bytes: Buffer, index: number, value: number): Buffer => {
      const copy = Buffer.from(bytes);
      copy[index] = value;
      return copy;
    };
    const overlongAttribute = encodeStunMessage({ method: stunBindingMethod, class: 'request', transactionId: randomBytes(12), attributes: [{ type: stunAttribute.software, value: Buffer.from('abcd') }] });
    overlongAttribute.writeUInt16BE(8, 22); // SOFTWARE claims 8 bytes, 4 are there
    const hostile = [
      Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
      request.subarray(0, 12),
      request.subarray(0, 20), // header promises 8 bytes of FINGERPRINT that never come
      sampleIpv4Response,
      encodeStunMessage({ method: stunBindingMethod, class: 'indication', transactionId: randomBytes(12), fingerprint: true }),
      withByte(request, 4, 0x22), // magic cookie 0x2212a442
      withByte(request, request.length - 1, (request.at(-1) ?? 0) ^ 0xff),
      encodeStunMessage({ method: allocateMethod, class: 'request', transactionId: randomBytes(12), fingerprint: true }),
      overlongAttribute,
      Buffer.alloc(65_507, 0x01), // largest IPv4 UDP payload (~64 KiB)
    ];
    for (const datagram of hostile) await client.send(datagram, server.address);
    // Barrier: datagrams from one socket are handled in order, so this answer comes after every drop.
    await expectAnswered(client, server.address, '127.0.0.1');

    expect(server.stats()).toEqual({
      received: hostile.length + 1,
      answered: 1,
      sendErrors: 0,
      dropped: {
        'truncated': 2, 'oversized': 1, 'not-stun': 1, 'bad-cookie': 1, 'malformed': 1, 'bad-fingerprint': 1,
        'not-request': 2, 'not-binding': 1, 'rate-limited-source': 0, 'rate-limited-global': 0,
      },
    });
    // Every line after startup is a drop line with exactly these fields: no address, no port, no payload.
    expect(logs.slice(1)).toEqual(
      ['not-stun', 'truncated', 'not-request', 'bad-cookie', 'bad-fingerprint', 'not-binding', 'malformed', 'oversized'].map((reason) => ({ event: 'stun-dropped', reason, total: 1 })),
    );
  });

  it.skipIf(!hasSecondIpv4Loopback)('refuses a burst beyond the per-source cap while another source is answered (skipped when 127.0.0.2 is not a loopback address, e.g. macOS)', async () => {
    let clockMs = 0;
    const { server, logs } = await startServer({ now: () => clockMs, limits: { perSourceBurstPackets: 3, perSourceRefillPerSecond: 1 } });
    const flooder = await openClient('udp4', '127.0.0.1');
    const other = await openClient('udp4', '127.0.0.2');
    const burst = Array.from({ length: 5 }, () => randomBytes(12));
    for (const transactionId of burst) await flooder.send(bindingRequest(transactionId), server.address);
    await expectAnswered(other, server.address, '127.0.0.2');
    expect(server.stats()).toMatchObject({ answered: 4, dropped: { 'rate-limited-source': 2 } });

    const answeredIds = await Promise.all(burst.slice(0, 3).map(async () => Buffer.from(parsed(await flooder.next()).transactionId)));
    expect(answeredIds).toEqual(burst.slice(0, 3));

    clockMs += 1000; // one token back for the flooder; its next answer is this one, not a late burst reply
    await expectAnswered(flooder, server.address, '127.0.0.1');
    expect(server.stats()).toMatchObject({ answered: 5, dropped: { 'rate-limited-source': 2 } });
    expect(logs.filter((entry) => entry['event'] === 'stun-dropped')).toEqual([{ event: 'stun-dropped', reason: 'rate-limited-source', total: 1 }]);
  });

  it('caps answers globally however many sources ask', async () => {
    const { server, logs } = await startServer({ now: () => 0, limits: { globalBurstPackets: 2, globalRefillPerSecond: 1 } });
    const client = await openClient('udp4', '127.0.0.1');
    await expectAnswered(client, server.address, '127.0.0.1');
    await expectAnswered(client, server.address, '127.0.0.1');
    await client.send(bindingRequest(), server.address);
    expect(await waitForLog(logs, (entry) => entry['reason'] === 'rate-limited-global')).toEqual({ event: 'stun-dropped', reason: 'rate-limited-global', total: 1 });
    expect(server.stats()).toMatchObject({ received: 3, answered: 2, dropped: { 'rate-limited-source': 0, 'rate-limited-global': 1 } });
  });

  it('rejects a taken port with an error naming it, and closes idempotently', async () => {
    const { server } = await startServer();
    const { port } = server.address;
    await expect(createStunServer({ port, host: '127.0.0.1', log: () => undefined })).rejects.toThrow(`UDP port ${port}`);
    await Promise.all([server.close(), server.close()]);
    await server.close();
  });

  it('binds all IPv4 interfaces by default', async () => {
    const server = await createStunServer({ port: 0, log: () => undefined });
    servers.push(server);
    expect(server.address.host).toBe('0.0.0.0');
  });
});
