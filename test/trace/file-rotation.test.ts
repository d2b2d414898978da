import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, type TestContext } from 'node:test';
import { startFileService } from '../../src/backends/files-service.js';
import { listOpenFiles, rotateFiles } from '../../src/backends/shared/file-registry.js';
import { silentLogger } from '../../src/log/logger.js';
import { startDaemon } from '../../src/serve/serve.js';
import { Tracer, type TraceMeta } from '../../src/trace/tracer.js';
import { tempDir } from '../backends/helpers.js';
import { loadFixtures } from './tracer-fixtures.js';

/*
 * Issue 10, item 6 (and issue 12, point 27): a trace `file:` destination had its own
 * write stream and no reopen, so after logrotate's `mv` every later record still went
 * to the moved file, and docs/trace.md had to recommend copytruncate (which loses
 * records). It now writes through the backends' file stack: rotate and SIGHUP reopen it.
 */

const CALL = loadFixtures('rawsip').filter((f) => f.callId === '1-19473@127.0.0.1');
const META: TraceMeta = { direction: 'in', proto: 'udp', src: { ip: '192.0.2.10', port: 5080 }, dst: { ip: '192.0.2.1', port: 5060 }, timeUs: Date.UTC(2026, 10, 22, 5, 21, 46) * 1000 };

/** The first lines (`in udp …`) of the records in a trace file, as the SIP start lines they precede. */
function startLines(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  return lines.flatMap((line, i) => (/^(in|out|-) udp /.test(line) ? [lines[i + 1]] : []));
}

async function tracing(t: TestContext, dir: string, path: string): Promise<Tracer> {
  const tracer = await Tracer.open({ ids: [`[f]file:${path}`], fileRoots: [dir] });
  t.after(() => tracer.close());
  return tracer;
}

test('mv, then herald rotate: records before the command are in the moved file, later ones in a new PATH (0600)', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'sip.trace');
  const tracer = await tracing(t, dir, path);
  assert.ok(listOpenFiles().some((file) => file.path === path && file.format === 'sip-trace'), 'the trace file is one of the files rotate and SIGHUP reach');
  tracer.trace(CALL[0].bytes, META);
  await rename(path, `${path}.1`);
  tracer.trace(CALL[1].bytes, META); // After mv, before rotate: logrotate's contract puts it in the moved file.
  await rotateFiles(path);
  tracer.trace(CALL[2].bytes, META);
  await tracer.close();
  const firstLine = (bytes: Buffer) => bytes.toString('utf8').split('\r\n')[0];
  assert.deepEqual(startLines(`${path}.1`).map((line) => line.replace(/\r$/, '')), [firstLine(CALL[0].bytes), firstLine(CALL[1].bytes)]);
  assert.deepEqual(startLines(path).map((line) => line.replace(/\r$/, '')), [firstLine(CALL[2].bytes)]);
  assert.equal((statSync(path).mode & 0o777).toString(8), '600', 'the reopened file holds credentials too: 0600');
});

test('SIGHUP to herald serve reopens trace files too', async (t) => {
  const dir = tempDir(t);
  const config = join(dir, 'herald.yaml');
  await writeFile(config, `data_dir: ${dir}\nsubscribers: []\n`);
  const daemon = await startDaemon({ configPath: config, services: [startFileService], announce: () => {}, logger: silentLogger() });
  t.after(() => daemon.stop());
  const path = join(dir, 'sip.trace');
  const tracer = await tracing(t, dir, path);
  tracer.trace(CALL[0].bytes, META);
  await rename(path, `${path}.1`);
  const alive = setInterval(() => {}, 1000); // Signal watchers do not keep the event loop up.
  t.after(() => clearInterval(alive));
  process.kill(process.pid, 'SIGHUP');
  for (let i = 0; i < 500 && !existsSync(path); i++) await sleep(10); // The command reopen creates PATH at once.
  tracer.trace(CALL[1].bytes, META);
  await tracer.close();
  assert.equal(startLines(`${path}.1`).length, 1);
  assert.equal(startLines(path).length, 1, 'the record after SIGHUP went to the new PATH');
});
