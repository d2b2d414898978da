import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { splitFlatstoreLine } from '../../src/backends/flatstore/reader.js';
import { tempDir } from './helpers.js';

const WRITER = fileURLToPath(new URL('./fixtures/seq-writer.ts', import.meta.url));
/** The issue asks for 1,000,000; HERALD_ROTATION_EVENTS lowers it on a slow machine. */
const EVENTS = Number(process.env.HERALD_ROTATION_EVENTS ?? 1_000_000);
const ROTATIONS = 100;

type Message = { type: 'progress'; seq: number } | { type: 'rotated' } | { type: 'written'; rotationsAsked: number; dropped: number };

/** Runs `mv ev.log ev.log.N` then asks the writer to rotate, once per progress report, one at a time. */
function driveRotations(child: ChildProcess, dir: string): Promise<{ rotations: number; written: Extract<Message, { type: 'written' }> }> {
  return new Promise((resolve, reject) => {
    let due = 0;
    let busy = false;
    let rotations = 0;
    let written: Extract<Message, { type: 'written' }> | undefined;
    const next = async () => {
      if (busy) return;
      if (due > 0 && rotations < ROTATIONS) {
        busy = true;
        due--;
        rotations++;
        await rename(join(dir, 'ev.log'), join(dir, `ev.log.${String(rotations).padStart(3, '0')}`));
        child.send({ type: 'rotate' });
      } else if (written !== undefined && (rotations === ROTATIONS || due === 0)) {
        resolve({ rotations, written });
      }
    };
    child.on('message', (message: Message) => {
      if (message.type === 'progress') due++;
      if (message.type === 'rotated') busy = false;
      if (message.type === 'written') written = message;
      next().catch(reject);
    });
    child.once('exit', (code) => { if (written === undefined) reject(new Error(`writer exited early (${code})`)); });
  });
}

function readAll(dir: string): { files: string[]; perFile: number[][] } {
  const files = readdirSync(dir).filter((name) => name.startsWith('ev.log')).sort((a, b) => (a === 'ev.log' ? 1 : b === 'ev.log' ? -1 : a.localeCompare(b)));
  const perFile = files.map((name) => {
    const text = readFileSync(join(dir, name), 'utf8');
    assert.ok(text === '' || text.endsWith('\n'), `${name} ends with a complete line`);
    return text.split('\n').slice(0, -1).map((line) => {
      const columns = splitFlatstoreLine(line);
      assert.deepEqual([columns.length, columns[0], columns[2]], [3, 'E_SEQ', 'a,b'], `${name}: a whole, well-formed line: ${line}`);
      return Number(columns[1]);
    });
  });
  return { files, perFile };
}

test(`rotation under load: ${EVENTS} events, ${ROTATIONS} × (mv + rotate) from another process; every event once, none torn, in order across files`, async (t) => {
  const dir = tempDir(t);
  const child = fork(WRITER, [dir, String(EVENTS), 'load'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  t.after(() => { child.kill('SIGKILL'); });
  const { rotations, written } = await driveRotations(child, dir);
  child.send({ type: 'finish' });
  await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(rotations, ROTATIONS);
  assert.equal(written.dropped, 0);

  const { files, perFile } = readAll(dir);
  assert.equal(files.length, ROTATIONS + 1);
  const seen = new Uint8Array(EVENTS);
  let previousMax = -1;
  perFile.forEach((seqs, index) => {
    for (const seq of seqs) seen[seq]++;
    if (seqs.length === 0) return;
    // The contract: everything before a rotate is in the moved file, everything after in the next one.
    assert.ok(Math.min(...seqs) > previousMax, `${files[index]} starts after the previous file ends`);
    previousMax = Math.max(...seqs);
  });
  const missing = seen.findIndex((count) => count === 0);
  const doubled = seen.findIndex((count) => count > 1);
  assert.equal(missing, -1, `seq ${missing} is missing`);
  assert.equal(doubled, -1, `seq ${doubled} is written twice`);
  assert.ok(perFile.filter((seqs) => seqs.length > 0).length > ROTATIONS / 2, 'the rotations really happened while writing');
});
