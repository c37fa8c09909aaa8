// Tiny network probes for the NAT lab, run with the test's own node inside a namespace
// (`ip netns exec NS node -e …`): a UDP "who am I" echo, a UDP client, an HTTP page, a TCP dial.
import type { NatLab } from './nat-lab';
import type { LabProcess } from './nat-lab-process';

/** What a probe needs of a lab (of any number of homes): running commands in its namespaces. */
type ProbeLab = Pick<NatLab, 'exec' | 'spawnIn'>;

/** Deadline for a probe server to start listening: node starts in ~100 ms here. */
const listenTimeoutMs = 5_000;

/** How often the UDP client resends an unanswered datagram (UDP may drop the first one while ARP resolves). */
const udpRetryMs = 200;

/** Deadline for one UDP probe to hear back from all its targets. */
const udpProbeTimeoutMs = 4_000;

/** Extra time the exec deadline allows beyond a probe's own deadline, for node's start-up. */
const nodeStartSlackMs = 3_000;

/** Replies to each datagram with the source address and port it saw: `ADDR:PORT`. argv: ip port. */
const udpEchoScript = `
const dgram = require('node:dgram');
const [ip, port] = process.argv.slice(1);
const socket = dgram.createSocket('udp4');
socket.on('message', (_m, from) => socket.send(from.address + ':' + from.port, from.port, from.address));
socket.bind(Number(port), ip, () => console.log('listening'));
`;

/** From one socket, asks each target "who am I"; prints JSON {localPort, seen: [ADDR:PORT per target]}. argv: timeoutMs retryMs targets… */
const udpClientScript = `
const dgram = require('node:dgram');
const [timeoutMs, retryMs, ...targets] = process.argv.slice(1);
const socket = dgram.createSocket('udp4');
const seen = targets.map(() => null);
const finish = () => { console.log(JSON.stringify({ localPort: socket.address().port, seen })); process.exit(0); };
socket.on('message', (msg, from) => {
  const i = targets.indexOf(from.address + ':' + from.port);
  if (i >= 0) seen[i] = msg.toString();
  if (seen.every((s) => s !== null)) finish();
});
socket.bind(0, () => {
  const send = () => targets.forEach((t, i) => {
    if (seen[i] !== null) return;
    const [host, port] = t.split(':');
    socket.send('who', Number(port), host);
  });
  send();
  setInterval(send, Number(retryMs));
  setTimeout(finish, Number(timeoutMs));
});
`;

/** Serves a page that shows the client's address in <p id="from">. argv: ip port. */
const httpPageScript = `
const http = require('node:http');
const [ip, port] = process.argv.slice(1);
http.createServer((req, res) => {
  res.setHeader('content-type', 'text/html');
  res.end('<!doctype html><title>nat lab</title><p id="from">' + req.socket.remoteAddress + '</p>');
}).listen(Number(port), ip, () => console.log('listening'));
`;

/** Dials every `ADDR:PORT` target at once; prints a JSON array of 'connected', an error code or 'timeout'. argv: timeoutMs targets… */
const tcpDialScript = `
const net = require('node:net');
const [timeoutMs, ...targets] = process.argv.slice(1);
const results = targets.map(() => null);
const settle = (i, what) => {
  if (results[i] === null) results[i] = what;
  if (results.every((r) => r !== null)) { console.log(JSON.stringify(results)); process.exit(0); }
};
targets.forEach((t, i) => {
  const [host, port] = t.split(':');
  const socket = net.connect({ host, port: Number(port) });
  socket.on('connect', () => settle(i, 'connected'));
  socket.on('error', (e) => settle(i, e.code || e.message));
  setTimeout(() => settle(i, 'timeout'), Number(timeoutMs));
});
`;

/** Per connection: the first line says `down N` (send N bytes, then close) or `up N` (read N bytes, answer `ok`). argv: ip port. */
const bulkServerScript = `
const net = require('node:net');
const [ip, port] = process.argv.slice(1);
net.createServer((socket) => {
  let head = '';
  let left = -1;
  socket.on('data', (data) => {
    if (left < 0) {
      head += data.toString('latin1');
      const end = head.indexOf('\\n');
      if (end < 0) return;
      const [way, count] = head.slice(0, end).split(' ');
      if (way === 'down') { socket.end(Buffer.alloc(Number(count), 7)); return; }
      left = Number(count) - Buffer.byteLength(head.slice(end + 1), 'latin1');
    } else left -= data.length;
    if (left <= 0) socket.end('ok');
  });
  socket.on('error', () => socket.destroy());
}).listen(Number(port), ip, () => console.log('listening'));
`;

/** Moves N bytes over one TCP connection (`down`: from the server, `up`: to it); prints the seconds it took. argv: target way N. */
const bulkClientScript = `
const net = require('node:net');
const [target, way, count] = process.argv.slice(1);
const [host, port] = target.split(':');
const socket = net.connect({ host, port: Number(port) });
let startMs = 0;
let received = 0;
socket.on('connect', () => {
  startMs = Date.now();
  socket.write(way + ' ' + count + '\\n');
  if (way === 'up') socket.write(Buffer.alloc(Number(count), 7));
});
socket.on('data', (data) => { received += data.length; });
socket.on('end', () => {
  console.log(JSON.stringify({ seconds: (Date.now() - startMs) / 1000, received }));
  process.exit(0);
});
socket.on('error', (e) => { console.error(e.message); process.exit(1); });
`;

async function startScript(lab: ProbeLab, ns: string, script: string, args: readonly string[]): Promise<LabProcess> {
  const child = lab.spawnIn(ns, process.execPath, ['-e', script, ...args]);
  await child.waitForOutput(/^listening$/m, listenTimeoutMs);
  return child;
}

/** A UDP server on `ip:port` in `ns` that answers each datagram with the sender's address as it saw it. */
export function startUdpEcho(lab: ProbeLab, ns: string, ip: string, port: number): Promise<LabProcess> {
  return startScript(lab, ns, udpEchoScript, [ip, String(port)]);
}

/** An HTTP server on `ip:port` in `ns` whose page shows the client's address in `#from`. */
export function startHttpPage(lab: ProbeLab, ns: string, ip: string, port: number): Promise<LabProcess> {
  return startScript(lab, ns, httpPageScript, [ip, String(port)]);
}

/** A TCP server on `ip:port` in `ns` that sends or swallows as many bytes as each client asks (bulkTransfer). */
export function startBulkServer(lab: ProbeLab, ns: string, ip: string, port: number): Promise<LabProcess> {
  return startScript(lab, ns, bulkServerScript, [ip, String(port)]);
}

/** Moves `bytes` between `ns` and a bulk server at `target` (`down`: to `ns`, `up`: from it); the seconds it took. */
export async function bulkTransfer(lab: ProbeLab, ns: string, target: string, way: 'up' | 'down', bytes: number, timeoutMs: number): Promise<number> {
  const { stdout } = await lab.exec(ns, process.execPath, ['-e', bulkClientScript, target, way, String(bytes)], timeoutMs + nodeStartSlackMs);
  const { seconds, received } = JSON.parse(stdout) as { seconds: number; received: number };
  if (way === 'down' && received !== bytes) throw new Error(`bulk download to ${ns} got ${received} of ${bytes} bytes`);
  return seconds;
}

/** What one UDP socket in a home was seen as by each echo target. */
export interface UdpProbeResult {
  readonly localPort: number;
  /** `ADDR:PORT` per target, in order. */
  readonly seen: readonly string[];
}

/** From one UDP socket in `ns`, asks each `ADDR:PORT` target how it sees us. */
export async function udpWhoAmI(lab: ProbeLab, ns: string, targets: readonly string[]): Promise<UdpProbeResult> {
  const { stdout } = await lab.exec(
    ns,
    process.execPath,
    ['-e', udpClientScript, String(udpProbeTimeoutMs), String(udpRetryMs), ...targets],
    udpProbeTimeoutMs + nodeStartSlackMs,
  );
  const parsed = JSON.parse(stdout) as { localPort: number; seen: (string | null)[] };
  if (parsed.seen.some((s) => s === null)) throw new Error(`UDP probe from ${ns} got no answer from some of ${targets.join(', ')}: ${stdout}`);
  return { localPort: parsed.localPort, seen: parsed.seen.map(String) };
}

/** Dials each `ADDR:PORT` over TCP from `ns`, in parallel: 'connected', an error code such as 'ENETUNREACH', or 'timeout'. */
export async function tcpDial(lab: ProbeLab, ns: string, targets: readonly string[], timeoutMs: number): Promise<string[]> {
  const { stdout } = await lab.exec(ns, process.execPath, ['-e', tcpDialScript, String(timeoutMs), ...targets], timeoutMs + nodeStartSlackMs);
  return JSON.parse(stdout) as string[];
}
