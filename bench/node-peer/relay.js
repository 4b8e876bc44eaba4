#!/usr/bin/env node
// Minimal relay on npm's `ws`: the peer that bench_relay compares the Opsdeck relay
// (hub/relay UpstreamLink + the embedded HubServer, docs/protocol.md §15) with.
//
// It connects to an opsdeck hub with `Authorization: Bearer <secret>`, subscribes `logs`
// (batched, history 0 — like the Opsdeck link, one upstream subscription for all its clients),
// and forwards every `batch`, `log` and `gap` frame to each of its own `logs` subscribers,
// re-wrapping only what a relay must: the `sub` id, which names the subscription on *its*
// connection. A subscriber that asked for `batch:false` gets the entries of a batch as single
// `log` frames. Like server.js it stops pushing to a client with more than 4 MiB queued and
// counts what it dropped (stderr at exit; the client sees the hole in `seq`).
//
// What it does not do, and the Opsdeck relay does: no reconnect or resume (it exits when the
// upstream closes), no retention ring or history, no filters, no `@label` qualification or
// `origin`, no seq of its own, no agents/metrics/flow/commands, no auth of its own clients.
// A fair peer is the smallest relay a Node developer would write for the same job.
//
// Usage: node relay.js --upstream ws://127.0.0.1:PORT/api/v1/ws/demo --secret-file PATH
//                      [--port 0] [--host 127.0.0.1] [--path /api/v1/ws/demo]
// First stdout line, once the upstream subscription is confirmed:
//   `listening on ws://127.0.0.1:PORT/PATH` (same as opsdeck-hub).
'use strict';

const fs = require('fs');
const { MAX_BUFFERED, parseArgs, serveLogs, WebSocket } = require('./peer-common');

const opts = parseArgs(process.argv.slice(2),
                       { port: 0, host: '127.0.0.1', path: '/api/v1/ws/demo', upstream: '', secretFile: '' });
if (!opts.upstream) {
  process.stderr.write('--upstream ws://host:port/path is required\n');
  process.exit(2);
}
const secret = opts.secretFile ? fs.readFileSync(opts.secretFile, 'utf8').trim() : '';

const subscribers = new Set(); // {ws, sub, batch}
let dropped = 0;
let forwarded = 0;

// Every upstream delivery to every subscriber, with the subscriber's own `sub`.
function forward(msg) {
  const cache = new Map(); // sub id -> frame: subscribers on different connections share ids
  for (const s of subscribers) {
    const ws = s.ws;
    if (ws.readyState !== WebSocket.OPEN) continue;
    const entries = msg.type === 'batch' ? msg.logs.length : 1;
    if (ws.bufferedAmount > MAX_BUFFERED) { dropped += entries; continue; }
    if (msg.type === 'batch' && !s.batch) {
      for (const entry of msg.logs) {
        entry.sub = s.sub;
        ws.send(JSON.stringify(entry));
      }
    } else {
      let frame = cache.get(s.sub);
      if (frame === undefined) {
        msg.sub = s.sub;
        frame = JSON.stringify(msg);
        cache.set(s.sub, frame);
      }
      ws.send(frame);
    }
    forwarded += entries;
  }
}

function listen() {
  serveLogs({
    opts, hubName: 'node-ws-relay', hubId: 'h-node-relay', subscribers,
    subscription: (msg) => ({ batch: msg.batch !== false }),
    subscribed: () => ({ epoch: upstreamEpoch, headSeq: upstreamSeq }),
  });
}

// Upstream: one connection, one `logs` subscription.
let upstreamEpoch = '';
let upstreamSeq = 0;
const upstream = new WebSocket(opts.upstream, 'opsdeck.v1.json', {
  headers: secret ? { Authorization: 'Bearer ' + secret } : {},
  perMessageDeflate: false,
  maxPayload: 1024 * 1024,
});
upstream.on('open', () => {
  upstream.send(JSON.stringify({ type: 'subscribe', id: 'relay-logs', topic: 'logs', history: 0, batch: true }));
});
upstream.on('message', (data) => {
  const msg = JSON.parse(data.toString());
  switch (msg.type) {
    case 'batch':
    case 'log':
    case 'gap':
      if (msg.type === 'batch' && msg.logs.length) upstreamSeq = msg.logs[msg.logs.length - 1].seq;
      forward(msg);
      break;
    case 'response':
      if (msg.id === 'relay-logs') {
        if (!msg.ok) {
          process.stderr.write(`node-relay: upstream refused the subscription: ${data}\n`);
          process.exit(1);
        }
        upstreamEpoch = msg.result.epoch;
        upstreamSeq = msg.result.head_seq;
        listen();
      }
      break;
    default:
      break; // connection_established, broadcasts: nothing to relay
  }
});
upstream.on('close', (code, reason) => {
  process.stderr.write(`node-relay: upstream closed (${code} ${reason}); exiting\n`);
  shutdown(1);
});
upstream.on('error', (err) => {
  process.stderr.write(`node-relay: upstream error: ${err.message}\n`);
});

function shutdown(code) {
  process.stderr.write(`node-relay: forwarded ${forwarded} entries, dropped ${dropped} to slow clients\n`);
  process.exit(code);
}
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
