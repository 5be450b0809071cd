// Helpers for the hostile serve tests (serve-*.test.js): start `briefgen
// serve --port 0` on a scratch copy of content/, talk raw HTTP to it over
// loopback, stop it with a signal and time the stop.  Not a test itself
// (the hostile CMakeLists runs *.test.js only).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const BRIEFGEN = process.env.BRIEFGEN;
const SRCDIR = process.env.SRCDIR;
if (!BRIEFGEN || !SRCDIR) {
  console.error('BRIEFGEN and SRCDIR must be set');
  process.exit(2);
}

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`);
  if (!ok) failures++;
  return ok;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function scratch() {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'briefgen-hostile-'));
  fs.cpSync(path.join(SRCDIR, 'content'), path.join(dir, 'content'), { recursive: true });
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Start serve; resolves { proc, port, log() } once the ready line is out.
function startServe(args, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    const proc = spawn(BRIEFGEN, ['serve', '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`no ready line:\n${err}`)); }, timeoutMs);
    proc.stderr.on('data', (d) => {
      err += d;
      const m = /briefgen: serving .* at http:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
      if (m && !proc.port) {
        proc.port = Number(m[1]);
        clearTimeout(timer);
        resolve({ proc, port: proc.port, log: () => err });
      }
    });
    proc.on('exit', (code) => { clearTimeout(timer); if (!proc.port) reject(new Error(`serve exited ${code}:\n${err}`)); });
  });
}

// Send a signal; resolves { code, signal, secs } (secs Infinity and a
// SIGKILL when it has not stopped after limitMs).
function stop(proc, sig = 'SIGTERM', limitMs = 5000) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const timer = setTimeout(() => { proc.kill('SIGKILL'); }, limitMs);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      resolve({ code, signal, secs: signal === 'SIGKILL' ? Infinity : secs });
    });
    proc.kill(sig);
  });
}

// Send raw bytes (a Buffer or string) and read until the server closes or
// timeoutMs; resolves { status, raw, secs }.
function raw(port, bytes, { timeoutMs = 5000, localAddress } = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const chunks = [];
    const sock = net.connect({ host: '127.0.0.1', port, localAddress });
    const done = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.\d (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : -1, raw: text, secs: Number(process.hrtime.bigint() - t0) / 1e9 });
    };
    sock.setTimeout(timeoutMs, () => sock.destroy());
    sock.on('connect', () => sock.write(bytes));
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', () => {});
    sock.on('close', done);
  });
}

function get(port, target = '/') {
  return raw(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
}

function finish(name) {
  console.log(`${failures ? 'FAIL' : 'PASS'}: ${name}: ${failures} failure${failures === 1 ? '' : 's'}`);
  process.exit(failures ? 1 : 0);
}

// A global time bound for a test script.
function bound(ms) {
  setTimeout(() => { console.log(`FAIL - took more than ${ms / 1000} s`); process.exit(1); }, ms).unref();
}

module.exports = { check, sleep, scratch, startServe, stop, raw, get, finish, bound, net };
