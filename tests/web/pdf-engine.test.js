'use strict';
// pdf-engine: a PDF engine that fails never costs the reader the previous
// appendix.  `briefgen build content -o OUT --pdf` is run with fake engines
// (shell scripts given by --chromium) into an OUT that holds a previous good
// build (made with --pdf and the real Chromium, so it has a bilag.pdf):
//   - crash: exits 1 at once;
//   - hang: sleeps (with a child process of its own) until killed;
//     BRIEFGEN_PDF_TIMEOUT=3 makes briefgen give up after 3 s;
//   - garbage: writes text that is not a PDF to the --print-to-pdf=FILE path
//     it is given (or to stdout) and exits 0;
//   - silent: exits 0 and writes nothing;
//   - missing: --chromium names a file that does not exist; and, separately,
//     no --chromium, no BRIEFGEN_CHROMIUM and an empty PATH.
// Each must: exit non-zero (2 for a missing engine); say so in one line of
// its own (besides the content's usual diagnostics and at most one more
// "briefgen: ..." summary line), which for a missing engine names
// `apt-get install chromium` and `--chromium`, and for a fake says that the
// PDF engine failed (its path, or the words engine/Chromium); leave OUT byte for byte as it was (every file's mode, size and
// sha256, compared before and after); leave no process of the fake alive
// (each fake writes its PID, and the hanging one its child's, to a file;
// kill -0 after briefgen returns, zombies waiting for their reaper do not
// count); and leave TMPDIR (a fresh folder for each run) empty.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib.js');

const TIMEOUT_S = 3;

function alive(pid) {
  try { process.kill(pid, 0); } catch (e) { return e.code === 'EPERM'; }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';   // a zombie has exited
  } catch { return false; }
}

async function survivors(pids) {
  // A SIGKILLed process is gone within microseconds; allow a second anyway.
  for (let i = 0; i < 20; i++) {
    const left = pids.filter(alive);
    if (!left.length) return [];
    await new Promise((r) => setTimeout(r, 50));
  }
  return pids.filter(alive);
}

test('a failing PDF engine leaves the previous output', async (t) => {
  const tmp = lib.tmpdir('pdf-engine');
  const fakes = path.join(tmp, 'fakes');
  fs.mkdirSync(fakes);
  const script = (name, body) => {
    const p = path.join(fakes, name);
    fs.writeFileSync(p, `#!/bin/sh\necho $$ >> '${p}.pids'\n${body}\n`, { mode: 0o755 });
    return p;
  };
  const FAKES = {
    crash: script('crash', 'echo "fake engine: crashing" >&2\nexit 1'),
    hang: script('hang', `sleep 1000 &\necho $! >> '${path.join(fakes, 'hang')}.pids'\nwait\nsleep 1000`),
    garbage: script('garbage', [
      'out=',
      'for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac; done',
      'if [ -n "$out" ]; then printf "this is not a PDF\\n%%%%EOF\\n" > "$out"; else printf "this is not a PDF\\n"; fi',
      'exit 0'].join('\n')),
    silent: script('silent', 'exit 0'),
  };

  // The previous good build, with the real Chromium.
  const good = path.join(tmp, 'good');
  const gb = lib.run(lib.BRIEFGEN, ['build', lib.CONTENT, '-o', good, '--pdf', '--chromium', lib.CHROMIUM],
    { env: { ...process.env, SOURCE_DATE_EPOCH: '1161561600' } });
  assert.strictEqual(gb.status, 0, `the previous good build (briefgen build --pdf --chromium ${lib.CHROMIUM}) ` +
                                   `exited ${gb.status}:\n${gb.stderr}`);
  assert.ok(fs.existsSync(path.join(good, 'bilag.pdf')), 'the previous good build has no bilag.pdf');
  // The content's own diagnostics, so they are not taken for the error.
  const usual = new Set(lib.run(lib.BRIEFGEN, ['build', lib.CONTENT, '-o', path.join(tmp, 'plain')]).stderr
    .split('\n').filter((l) => l.trim()));

  const CASES = [
    { name: 'crash', args: ['--chromium', FAKES.crash], names: FAKES.crash },
    { name: 'hang', args: ['--chromium', FAKES.hang], names: FAKES.hang, env: { BRIEFGEN_PDF_TIMEOUT: String(TIMEOUT_S) } },
    { name: 'garbage', args: ['--chromium', FAKES.garbage], names: FAKES.garbage },
    { name: 'silent', args: ['--chromium', FAKES.silent], names: FAKES.silent },
    { name: 'missing --chromium path', args: ['--chromium', path.join(tmp, 'no-such-dir', 'chromium')], missing: true },
    { name: 'no chromium on an empty PATH', args: [], env: { PATH: '' }, missing: true },
  ];

  for (const c of CASES) {
    await t.test(c.name, async () => {
      const out = path.join(tmp, `out-${c.name.replace(/\W+/g, '-')}`);
      fs.cpSync(good, out, { recursive: true });
      const before = lib.tree(out);
      const tmpd = path.join(tmp, `tmpdir-${c.name.replace(/\W+/g, '-')}`);
      fs.mkdirSync(tmpd);
      const env = { ...process.env, TMPDIR: tmpd, BRIEFGEN_PDF_TIMEOUT: String(TIMEOUT_S), ...(c.env || {}) };
      delete env.BRIEFGEN_CHROMIUM;
      const t0 = Date.now();
      const r = lib.run(lib.BRIEFGEN, ['build', lib.CONTENT, '-o', out, '--pdf', ...c.args],
        { env, timeout: 120000, killSignal: 'SIGKILL' });
      const secs = (Date.now() - t0) / 1000;
      const p = [];
      const cmd = `briefgen build --pdf ${c.args.join(' ')}`;
      if (r.signal) p.push(`${cmd} did not return within 120 s (killed by the test)`);
      else if (c.missing ? r.status !== 2 : !(r.status > 0)) p.push(`${cmd} exited ${r.status} (expected ${c.missing ? 2 : 'non-zero'})`);
      if (c.name === 'hang' && secs > TIMEOUT_S + 15) p.push(`${cmd} took ${secs.toFixed(1)} s with BRIEFGEN_PDF_TIMEOUT=${TIMEOUT_S}`);

      const extra = (r.stderr || '').split('\n').filter((l) => l.trim() && !usual.has(l));
      const own = extra.filter((l) => l.startsWith('briefgen:'));
      if (!own.length) p.push(`no "briefgen: ..." error line; stderr:\n${r.stderr}`);
      else {
        const first = own[0];
        if (extra.length > 2 || own.length > 2 || extra[0] !== first)
          p.push(`the error is not one line (at most one more summary line): ${JSON.stringify(extra)}`);
        if (c.missing) {
          if (!first.includes('apt-get install chromium')) p.push(`the error does not say "apt-get install chromium": ${first}`);
          if (!first.includes('--chromium')) p.push(`the error does not name --chromium: ${first}`);
        } else if (!first.includes(c.names) && !/engine|chromium/i.test(first))
          p.push(`the error does not say that the PDF engine (${c.names}) failed: ${first}`);
      }

      const after = fs.existsSync(out) ? lib.tree(out) : {};
      const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
      for (const k of keys)
        if (before[k] !== after[k]) p.push(`OUT changed: ${k}: ${before[k] || '(absent)'} -> ${after[k] || '(absent)'}`);

      const left = fs.readdirSync(tmpd);
      if (left.length) p.push(`left in TMPDIR ${tmpd}: ${left.join(', ')}`);

      if (c.names) {
        const pidFile = `${c.names}.pids`;
        const pids = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split(/\s+/).filter(Boolean).map(Number) : [];
        if (!pids.length) p.push(`the fake engine ${c.names} was never started`);
        const live = await survivors(pids);
        for (const pid of live) {
          p.push(`process ${pid} of the fake engine is still running after briefgen returned`);
          try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
        }
        fs.rmSync(pidFile, { force: true });
      }
      console.log(`# ${c.name}: exit ${r.status} in ${secs.toFixed(1)} s: ${JSON.stringify(extra)}`);
      lib.noProblems(p, c.name);
    });
  }
});
