// Issue 8, item 7, the HTTP side: what hostile clients can do to `briefgen
// serve` over loopback (bounded: 200 connections, under a minute).
//   - 200 connections that open and never finish a request: a normal
//     request is still answered in well under a second (before the fix 64
//     such clients locked everyone out for 20 s);
//   - a request with two Host fields: 400 (it used to be answered with the
//     first);
//   - a raw NUL in the request line (GET /\0/): 400 and no page (it used to
//     get 200 and the index); NUL and control characters in header fields:
//     400;
//   - SIGTERM with all of that going on stops serve within a second.
'use strict';
const path = require('node:path');
const { check, sleep, scratch, startServe, stop, raw, get, finish, bound, net } = require('./serve-lib.js');

bound(60000);

(async () => {
  const dir = scratch();
  const { proc, port, log } = await startServe([path.join(dir, 'content')]);
  const host = `127.0.0.1:${port}`;

  // 200 idle connections, each half a request line.
  const idle = [];
  await Promise.all(Array.from({ length: 200 }, () => new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => { s.write('GET /'); resolve(); });
    s.on('error', () => resolve());
    idle.push(s);
  })));
  await sleep(300);
  let r = await get(port, '/');
  check(r.status === 200 && r.secs < 0.5, `with 200 idle connections GET / is answered (${r.status} in ${r.secs.toFixed(3)} s)`);
  r = await get(port, '/budget.html');
  check(r.status === 200 && r.secs < 0.5, `... and again (${r.status} in ${r.secs.toFixed(3)} s)`);

  // Two Host fields.
  r = await raw(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  check(r.status === 400, `two Host fields: 400 (got ${r.status})`);
  r = await raw(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
  check(r.status === 400, `a second Host naming another site: 400 (got ${r.status})`);

  // NUL and control characters.
  const cases = [
    ['a NUL in the request line', `GET /\0/ HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
    ['a NUL after the path', `GET /index.html\0.css HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
    ['a NUL in the Host', `GET / HTTP/1.1\r\nHost: ${host}\0.evil.example\r\n\r\n`],
    ['a NUL in a field', `GET / HTTP/1.1\r\nHost: ${host}\r\nAccept: a\0b\r\n\r\n`],
    ['ESC in a field', `GET / HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: \x1b]0;x\x07\r\n\r\n`],
    ['a control byte in the path', `GET /\x08 HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
    ['an encoded control byte in the path', `GET /a%0d%0aX:y HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ];
  for (const [what, req] of cases) {
    r = await raw(port, Buffer.from(req, 'latin1'));
    check(r.status === 400 && !r.raw.includes('<!DOCTYPE'), `${what}: 400, no page (got ${r.status})`);
  }
  r = await get(port, '/');
  check(r.status === 200, `a plain request after all that: 200 (got ${r.status})`);

  // Stop with the idle connections still open.
  const st = await stop(proc, 'SIGTERM');
  check(st.code === 0 && st.secs < 1, `SIGTERM stops serve within a second (status ${st.code}, ${st.secs.toFixed(3)} s)`);
  for (const s of idle) s.destroy();
  check(!/Sanitizer|runtime error:/.test(log()), 'no sanitizer report');
  finish('serve-clients');
})().catch((e) => { console.log(`FAIL - ${e.stack || e}`); process.exit(1); });
