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
const { WebSocketServer, WebSocket } = require('ws');

function parseArgs(argv) {
  const opts = { port: 0, host: '127.0.0.1', path: '/api/v1/ws/demo', upstream: '', secretFile: '' };
  for (let i = 0; i < argv.length; ++i) {
    const key = argv[i];
    const value = argv[i + 1];
    switch (key) {
      case '--port': opts.port = Number(value); ++i; break;
      case '--host': opts.host = value; ++i; break;
      case '--path': opts.path = value; ++i; break;
      case '--upstream': opts.upstream = value; ++i; break;
      case '--secret-file': opts.secretFile = value; ++i; break;
      default:
        process.stderr.write(`unknown argument ${key}\n`);
        process.exit(2);
    }
  }
  if (!opts.upstream) {
    process.stderr.write('--upstream ws://host:port/path is required\n');
    process.exit(2);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const MAX_BUFFERED = 4 * 1024 * 1024; // like the hub (§4.5): stop pushing above 4 MiB queued
const secret = opts.secretFile ? fs.readFileSync(opts.secretFile, 'utf8').trim() : '';

const subscribers = new Set(); // {ws, sub, batch}
let clientCounter = 0;
let dropped = 0;
let forwarded = 0;

function nowIso() {
  return new Date().toISOString();
}

function send(ws, obj) {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
}

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

let wss = null;
function listen() {
  wss = new WebSocketServer({
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
      mode: 'demo', hub: { name: 'node-ws-relay', version: '0.1.0', hub_id: 'h-node-relay' },
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
        const s = { ws, sub: 's' + (++subCounter), batch: msg.batch !== false };
        subscribers.add(s);
        mine.push(s);
        send(ws, {
          type: 'response', id: msg.id, ts: nowIso(), ok: true,
          result: { sub: s.sub, topic: 'logs', epoch: upstreamEpoch, head_seq: upstreamSeq, recovered: true, replayed: 0 },
        });
      } else if (msg.type === 'ping') {
        send(ws, { type: 'pong', id: msg.id, ts: nowIso() });
      } else {
        send(ws, { type: 'error', id: msg.id, ts: nowIso(), code: 'UNKNOWN_TYPE', message: 'not served by the relay',
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
