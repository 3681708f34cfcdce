#!/usr/bin/env node
// gen_tickets.mjs — writes N tickets as CSV (the import's field names as headers), deterministically (a fixed-seed
// PRNG): 20 departments (codes BENCH01..BENCH20), opened over two years (2025-01-01 .. 2026-12-31, local times in the
// organisation's zone, "YYYY-MM-DD HH:MM:SS"), priorities P1..P4, ~85% resolved, ~70% closed, a few reassignments.
// Usage: node bench/gen_tickets.mjs N [OUT]   (OUT default: stdout)
import { createWriteStream } from 'node:fs';

const n = Number(process.argv[2] || 100000);
if (!Number.isInteger(n) || n < 1) {
  process.stderr.write('usage: node bench/gen_tickets.mjs N [OUT]\n');
  process.exit(2);
}
const out = process.argv[3] ? createWriteStream(process.argv[3]) : process.stdout;

let seed = 0x2a68accf;
function rnd() {   // mulberry32
  seed = (seed + 0x6D2B79F5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pad = (v, w = 2) => String(v).padStart(w, '0');
/** local wall-clock time of `sec` seconds after 2025-01-01 00:00 (no zone: the import reads it in the org's zone). */
function local(sec) {
  const d = new Date(Date.UTC(2025, 0, 1) + sec * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
const SPAN = 730 * 86400 - 7 * 86400;   // opened before 2026-12-24 so every ticket closes within the two years
const channels = ['phone', 'email', 'web', 'wechat'];
const categories = ['network', 'desktop', 'server', 'database', 'application', 'account'];

const header = 'external_id,title,channel,category,priority,department,opened_at,assigned_at,first_response_at,resolved_at,closed_at,reassignment_count,reopen_count\n';
let buf = header;
let pending = Promise.resolve();
for (let i = 0; i < n; i++) {
  const opened = Math.floor(rnd() * SPAN);
  const assigned = opened + Math.floor(rnd() * 1800);
  const response = assigned + Math.floor(rnd() * 3600);
  const resolvedP = rnd() < 0.85;
  const resolved = response + Math.floor(rnd() * 3 * 86400);
  const closedP = resolvedP && rnd() < 0.82;
  const closed = resolved + Math.floor(rnd() * 86400);
  buf += `BENCH-${pad(i, 8)},"Ticket ${i}, ${categories[i % 6]}",${channels[Math.floor(rnd() * 4)]},${categories[Math.floor(rnd() * 6)]},` +
    `P${1 + Math.floor(rnd() * 4)},BENCH${pad(1 + Math.floor(rnd() * 20))},${local(opened)},${local(assigned)},${local(response)},` +
    `${resolvedP ? local(resolved) : ''},${closedP ? local(closed) : ''},${Math.floor(rnd() * rnd() * 4)},${rnd() < 0.03 ? 1 : 0}\n`;
  if (buf.length > 1 << 20) {
    const chunk = buf;
    buf = '';
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
}
out.write(buf);
if (out !== process.stdout) out.end();
await pending;
