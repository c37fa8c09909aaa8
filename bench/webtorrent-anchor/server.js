// WebTorrent's side of the shaped-lab bench: one HTTPS server (the lab's test certificate) in the lab's
// internet namespace that serves the anchor page, WebTorrent's browser bundle, and a bittorrent-tracker
// WebSocket tracker on the same port. Run by bench/webtorrent-anchor/anchor.ts; prints "listening".
// argv: host port certPath keyPath
/* global process, console, URL */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
// The server alone: the package's main entry also loads its Node client, whose native WebRTC module
// --ignore-scripts leaves unbuilt.
import Tracker from 'bittorrent-tracker/server';

const [host, port, certPath, keyPath] = process.argv.slice(2);
const here = new URL('.', import.meta.url);
const files = {
  '/': { type: 'text/html', body: readFileSync(new URL('page.html', here)) },
  '/webtorrent.min.js': { type: 'text/javascript', body: readFileSync(new URL('node_modules/webtorrent/dist/webtorrent.min.js', here)) },
};

// No HTTP or UDP tracker, no stats page: browsers speak WebSocket only, upgraded from our HTTPS server.
const tracker = new Tracker({ udp: false, http: false, stats: false, ws: { noServer: true } });
tracker.on('error', (error) => console.error(`tracker error: ${error.message}`));
tracker.on('warning', (error) => console.error(`tracker warning: ${error.message}`));

const server = createServer({ cert: readFileSync(certPath), key: readFileSync(keyPath) }, (req, res) => {
  const file = files[new URL(req.url ?? '/', 'https://anchor/').pathname];
  if (!file) {
    res.statusCode = 404;
    res.end('not found');
    return;
  }
  res.setHeader('content-type', file.type);
  res.end(file.body);
});
server.on('upgrade', (req, socket, head) => {
  tracker.ws.handleUpgrade(req, socket, head, (ws) => tracker.ws.emit('connection', ws, req));
});
server.listen(Number(port), host, () => console.log('listening'));
