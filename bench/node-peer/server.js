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
const { MAX_BUFFERED, parseArgs, nowIso, serveLogs, WebSocket } = require('./peer-common');

const opts = parseArgs(process.argv.slice(2), { port: 0, host: '127.0.0.1', rate: 1000, path: '/api/v1/ws/demo' });
if (!(opts.rate > 0)) {
  process.stderr.write('--rate must be > 0\n');
  process.exit(2);
}
const BATCH_MAX = 100;          // entries (protocol §4.3)
const BATCH_INTERVAL_MS = 100;  // ms (protocol §4.3)
const MESSAGE_BYTES = 120;      // the synthetic message is padded to this length
const epoch = 'e-' + Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0');
const host = os.hostname();

let seq = 0;
// Entries published since the last flush, each already serialised once: every subscriber
// receives the same bytes, so a minimal server serialises an entry once, not once per client.
let pending = [];          // [{seq, json}]
const subscribers = new Set(); // {ws, sub, fromSeq}
let dropped = 0;

serveLogs({
  opts, hubName: 'node-ws-peer', hubId: 'h-node', subscribers,
  subscription: () => ({ fromSeq: seq + 1 }),
  subscribed: () => ({ epoch, headSeq: seq }),
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

function shutdown() {
  process.stderr.write(`node-peer: published ${seq} entries, dropped ${dropped} deliveries to slow clients\n`);
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
