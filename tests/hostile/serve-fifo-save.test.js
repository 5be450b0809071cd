// Issue 8, item 7, the file side: nothing in the watched folders can
// freeze `briefgen serve` or keep it from stopping, and an editor's save
// never shows an error page.
//   - SIGTERM (and SIGINT) stop serve within a second when a FIFO is in
//     partners/ from the start, when one appears while it runs, and when
//     one is in --templates; the preview keeps answering meanwhile (before
//     the fix a FIFO froze it for good and it ignored SIGTERM);
//   - a FIFO that exists for two seconds: the page comes back after it;
//   - in-place saves (truncate, pause, write half, pause, write the rest):
//     no request sees anything but 200 (before the fix: 500 "file is
//     empty" for a moment).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { check, sleep, scratch, startServe, stop, get, finish, bound } = require('./serve-lib.js');

bound(120000);

function mkfifo(p) {
  execFileSync('mkfifo', [p]);
}

async function waitStatus(port, want, ms) {
  const t0 = Date.now();
  let r;
  do {
    r = await get(port, '/');
    if (r.status === want) return r;
    await sleep(50);
  } while (Date.now() - t0 < ms);
  return r;
}

(async () => {
  const dir = scratch();
  const content = path.join(dir, 'content');
  const fifo = path.join(content, 'partners', 'evil.yaml');

  // 1. A FIFO there from the start.
  mkfifo(fifo);
  for (const sig of ['SIGTERM', 'SIGINT']) {
    const { proc } = await startServe([content]);
    await sleep(200);
    const st = await stop(proc, sig);
    check(st.code === 0 && st.secs < 1, `FIFO from the start: ${sig} stops serve within a second (status ${st.code}, ${st.secs.toFixed(3)} s)`);
  }
  fs.unlinkSync(fifo);

  // 2. A FIFO that appears while serve runs, and goes after two seconds.
  {
    const { proc, port } = await startServe([content]);
    mkfifo(fifo);
    let r = await waitStatus(port, 500, 5000);
    check(r.status === 500 && r.raw.includes('evil.yaml'), `a FIFO appearing: the page shows the error (got ${r.status})`);
    r = await get(port, '/budget.html');
    check(r.secs < 0.5, `the preview still answers (${r.status} in ${r.secs.toFixed(3)} s)`);
    await sleep(1500);
    fs.unlinkSync(fifo);
    r = await waitStatus(port, 200, 5000);
    check(r.status === 200, `the FIFO gone, the page is back (got ${r.status})`);
    mkfifo(fifo);
    await sleep(300);       // in the middle of noticing it
    const st = await stop(proc, 'SIGTERM');
    check(st.code === 0 && st.secs < 1, `FIFO while running: SIGTERM stops serve within a second (status ${st.code}, ${st.secs.toFixed(3)} s)`);
    fs.unlinkSync(fifo);
  }

  // 3. A FIFO in --templates.
  {
    const tpl = path.join(dir, 'tpl');
    execFileSync(process.env.BRIEFGEN, ['templates', 'export', tpl], { stdio: 'ignore' });
    const html = fs.readdirSync(path.join(tpl, 'html')).find((f) => f.endsWith('.mustache'));
    if (html) {
      fs.unlinkSync(path.join(tpl, 'html', html));
      mkfifo(path.join(tpl, 'html', html));
      const { proc, port } = await startServe([content, '--templates', tpl]);
      const r = await get(port, '/');
      check(r.secs < 0.5, `a FIFO template: the preview answers (${r.status} in ${r.secs.toFixed(3)} s)`);
      const st = await stop(proc, 'SIGTERM');
      check(st.code === 0 && st.secs < 1, `FIFO template: SIGTERM stops serve within a second (status ${st.code}, ${st.secs.toFixed(3)} s)`);
    } else {
      check(false, 'no html/*.mustache in the exported templates');
    }
  }

  // 4. In-place saves.
  {
    const { proc, port } = await startServe([content]);
    const file = path.join(content, 'partners', 'brasov.yaml');
    const text = fs.readFileSync(file);
    const seen = new Map();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const r = await get(port, '/');
        seen.set(r.status, (seen.get(r.status) || 0) + 1);
        await sleep(5);
      }
    })();
    for (const pause of [0, 150, 250]) {
      let fd = fs.openSync(file, 'w');      // truncate
      fs.closeSync(fd);
      await sleep(pause);
      fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, text, 0, text.length >> 1);
      await sleep(pause >> 1);
      fs.writeSync(fd, text, text.length >> 1, text.length - (text.length >> 1), text.length >> 1);
      fs.closeSync(fd);
      await sleep(1200);
    }
    polling = false;
    await poller;
    const counts = [...seen].map(([k, v]) => `${k}: ${v}`).join(', ');
    check(seen.size === 1 && seen.has(200), `in-place saves: every request was 200 (${counts})`);
    const st = await stop(proc, 'SIGTERM');
    check(st.code === 0 && st.secs < 1, `SIGTERM stops serve within a second (${st.secs.toFixed(3)} s)`);
  }
  finish('serve-fifo-save');
})().catch((e) => { console.log(`FAIL - ${e.stack || e}`); process.exit(1); });
