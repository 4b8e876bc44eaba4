#!/usr/bin/env node
// Minimal fan-out server on npm's `ws`: the peer that bench_fanout compares opsdeck-hub with.
//
// It does what `opsdeck-hub --bench-logs RATE` does for the benchmark and nothing else:
// publishes RATE synthetic log entries per second on the `logs` topic (same entry JSON shape,
// same 120-byte message `bench <publish_ns>xxx…`), answers `subscribe` with a `response`,
// and fans the entries out in `batch` messages flushed every 100 ms or at 100 entries
// (docs/protocol.md §4.3). No auth, no filters, no history: a fair peer is the smallest
// server a Node developer would write for the same job, not a re-implementation of the hub.
//
// Usage: node server.js [--port 0] [--host 127.0.0.1] [--rate 1000] [--path /api/v1/ws/demo]
// First stdout line: `listening on ws://127.0.0.1:PORT/PATH` (same as opsdeck-hub).
'use strict';

const os = require('os');
const { WebSocketServer, WebSocket } = require('ws');

function parseArgs(argv) {
  const opts = { port: 0, host: '127.0.0.1', rate: 1000, path: '/api/v1/ws/demo' };
  for (let i = 0; i < argv.length; ++i) {
    const key = argv[i];
    const value = argv[i + 1];
    switch (key) {
      case '--port': opts.port = Number(value); ++i; break;
      case '--host': opts.host = value; ++i; break;
      case '--rate': opts.rate = Number(value); ++i; break;
      case '--path': opts.path = value; ++i; break;
      default:
        process.stderr.write(`unknown argument ${key}\n`);
        process.exit(2);
    }
  }
  if (!(opts.rate > 0)) {
    process.stderr.write('--rate must be > 0\n');
    process.exit(2);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const BATCH_MAX = 100;          // entries (protocol §4.3)
const BATCH_INTERVAL_MS = 100;  // ms (protocol §4.3)
const MESSAGE_BYTES = 120;      // the synthetic message is padded to this length
const MAX_BUFFERED = 4 * 1024 * 1024; // like the hub (§4.5): stop pushing above 4 MiB queued
const epoch = 'e-' + Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0');
const host = os.hostname();

let seq = 0;
let clientCounter = 0;
// Entries published since the last flush, each already serialised once: every subscriber
// receives the same bytes, so a minimal server serialises an entry once, not once per client.
let pending = [];          // [{seq, json}]
const subscribers = new Set(); // {ws, sub, fromSeq}
let dropped = 0;

const wss = new WebSocketServer({
  host: opts.host,
  port: opts.port,
  path: opts.path,
  maxPayload: 1024 * 1024,
  perMessageDeflate: false, // Qt 6.4 has no permessage-deflate either
  clientTracking: false,
  handleProtocols: (protocols) => (protocols.has('opsdeck.v1.json') ? 'opsdeck.v1.json' : false),
});

function nowIso() {
  return new Date().toISOString();
}

function send(ws, obj) {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
}

wss.on('connection', (ws) => {
  const clientId = 'c-' + (++clientCounter).toString(16).padStart(8, '0');
  let subCounter = 0;
  const mine = [];
  send(ws, {
    type: 'connection_established', ts: nowIso(), client_id: clientId, protocol: 'opsdeck.v1',
    mode: 'demo', hub: { name: 'node-ws-peer', version: '0.1.0', hub_id: 'h-node' },
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
      const s = { ws, sub: 's' + (++subCounter), fromSeq: seq + 1 };
      subscribers.add(s);
      mine.push(s);
      send(ws, {
        type: 'response', id: msg.id, ts: nowIso(), ok: true,
        result: { sub: s.sub, topic: 'logs', epoch, head_seq: seq, recovered: true, replayed: 0 },
      });
    } else if (msg.type === 'ping') {
      send(ws, { type: 'pong', id: msg.id, ts: nowIso() });
    } else {
      send(ws, { type: 'error', id: msg.id, ts: nowIso(), code: 'UNKNOWN_TYPE', message: 'not served by the peer',
                 details: { type: msg.type } });
    }
  });
  ws.on('close', () => { for (const s of mine) subscribers.delete(s); });
  ws.on('error', () => {});
});

// Sends the pending entries to every subscriber as one batch. Subscribers that joined
// mid-batch get only the entries after their subscribe (history 0 means exactly that).
function flush() {
  if (pending.length === 0) return;
  const batch = pending;
  pending = [];
  const firstSeq = batch[0].seq;
  const cache = new Map(); // "sub|fromIndex" -> frame, so identical frames are built once
  const ts = nowIso();
  for (const s of subscribers) {
    const ws = s.ws;
    if (ws.readyState !== WebSocket.OPEN) continue;
    const from = Math.max(0, s.fromSeq - firstSeq);
    if (from >= batch.length) continue;
    if (ws.bufferedAmount > MAX_BUFFERED) { dropped += batch.length - from; continue; }
    const key = s.sub + '|' + from;
    let frame = cache.get(key);
    if (frame === undefined) {
      const part = from === 0 ? batch : batch.slice(from);
      frame = '{"type":"batch","topic":"logs","sub":"' + s.sub + '","epoch":"' + epoch + '","logs":[' +
        part.map((e) => e.json).join(',') + '],"count":' + part.length + ',"ts":"' + ts + '"}';
      cache.set(key, frame);
    }
    ws.send(frame);
  }
}

const padding = 'x'.repeat(MESSAGE_BYTES);
function publishOne() {
  // process.hrtime.bigint() is CLOCK_MONOTONIC on Linux, the clock of std::chrono::steady_clock.
  const publishNs = process.hrtime.bigint();
  // Same bytes as the hub's BenchLogSource: "bench <ns>" padded with 'x' to 120 characters.
  let message = 'bench ' + publishNs.toString();
  message += padding.slice(0, Math.max(0, MESSAGE_BYTES - message.length));
  ++seq;
  const entry = {
    type: 'log', topic: 'logs', epoch, seq, timestamp: nowIso(), stream: 'stdout', level: 'info',
    source: 'bench', host, message,
  };
  pending.push({ seq, json: JSON.stringify(entry) });
  if (pending.length >= BATCH_MAX) flush();
}

// Rate control: every millisecond publish however many entries are due since the start,
// so the average rate is exact even though timers fire late.
const startNs = process.hrtime.bigint();
let published = 0;
setInterval(() => {
  const elapsedNs = Number(process.hrtime.bigint() - startNs);
  const due = Math.floor((elapsedNs * opts.rate) / 1e9);
  for (let n = due - published; n > 0; --n) publishOne();
  published = due;
}, 1);
setInterval(flush, BATCH_INTERVAL_MS);

wss.on('listening', () => {
  const addr = wss.address();
  process.stdout.write(`listening on ws://127.0.0.1:${addr.port}${opts.path}\n`);
});

function shutdown() {
  process.stderr.write(`node-peer: published ${seq} entries, dropped ${dropped} deliveries to slow clients\n`);
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
