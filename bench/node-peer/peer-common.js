'use strict';
// What the two Node.js peers of the benchmarks share (server.js for bench_fanout, relay.js for
// bench_relay): command-line options, and the client-facing side of a minimal opsdeck.v1 server
// on npm's `ws` — connection_established, JSON parsing, `subscribe` to `logs`, `ping`, refusals,
// and the `listening on ws://…` line the drivers wait for. Each peer supplies only what it
// publishes (its own entries, or the upstream's).

const { WebSocketServer, WebSocket } = require('ws');

const MAX_BUFFERED = 4 * 1024 * 1024; // like the hub (§4.5): stop pushing above 4 MiB queued

// `defaults` names every option the peer takes: `--some-option` sets `someOption` (a number
// when its default is one). Unknown arguments exit with status 2.
function parseArgs(argv, defaults) {
  const opts = { ...defaults };
  for (let i = 0; i < argv.length; ++i) {
    const key = argv[i];
    const name = key.startsWith('--') ? key.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase()) : '';
    if (!Object.prototype.hasOwnProperty.call(defaults, name)) {
      process.stderr.write(`unknown argument ${key}\n`);
      process.exit(2);
    }
    opts[name] = typeof defaults[name] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
    ++i;
  }
  return opts;
}

function nowIso() {
  return new Date().toISOString();
}

function send(ws, obj) {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
}

// Serves `logs` subscriptions on opts.host:opts.port at opts.path. `subscribers` is the set the
// peer publishes to; each subscription is added as `{ws, sub, ...subscription(msg)}` and removed
// when its connection closes. `subscribed()` gives the response's {epoch, head_seq}.
function serveLogs({ opts, hubName, hubId, subscribers, subscription, subscribed }) {
  let clientCounter = 0;
  const wss = new WebSocketServer({
    host: opts.host,
    port: opts.port,
    path: opts.path,
    maxPayload: 1024 * 1024,
    perMessageDeflate: false, // Qt 6.4 has no permessage-deflate either
    clientTracking: false,
    handleProtocols: (protocols) => (protocols.has('opsdeck.v1.json') ? 'opsdeck.v1.json' : false),
  });
  wss.on('connection', (ws) => {
    const clientId = 'c-' + (++clientCounter).toString(16).padStart(8, '0');
    let subCounter = 0;
    const mine = [];
    send(ws, {
      type: 'connection_established', ts: nowIso(), client_id: clientId, protocol: 'opsdeck.v1',
      mode: 'demo', hub: { name: hubName, version: '0.1.0', hub_id: hubId },
    });
    ws.on('message', (data, isBinary) => {
      let msg;
      try {
        if (isBinary) throw new Error('binary');
        msg = JSON.parse(data.toString());
      } catch (e) {
        send(ws, { type: 'error', ts: nowIso(), code: 'BAD_JSON', message: 'not JSON', details: { offset: 0 } });
        return;
      }
      if (msg.type === 'subscribe' && msg.topic === 'logs') {
        const s = { ws, sub: 's' + (++subCounter), ...subscription(msg) };
        subscribers.add(s);
        mine.push(s);
        const { epoch, headSeq } = subscribed();
        send(ws, {
          type: 'response', id: msg.id, ts: nowIso(), ok: true,
          result: { sub: s.sub, topic: 'logs', epoch, head_seq: headSeq, recovered: true, replayed: 0 },
        });
      } else if (msg.type === 'ping') {
        send(ws, { type: 'pong', id: msg.id, ts: nowIso() });
      } else {
        send(ws, { type: 'error', id: msg.id, ts: nowIso(), code: 'UNKNOWN_TYPE', message: `not served by ${hubName}`,
                   details: { type: msg.type } });
      }
    });
    ws.on('close', () => { for (const s of mine) subscribers.delete(s); });
    ws.on('error', () => {});
  });
  wss.on('listening', () => {
    const addr = wss.address();
    process.stdout.write(`listening on ws://127.0.0.1:${addr.port}${opts.path}\n`);
  });
  return wss;
}

module.exports = { MAX_BUFFERED, parseArgs, nowIso, send, serveLogs, WebSocket };
