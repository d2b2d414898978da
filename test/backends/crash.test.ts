import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseFlatstore } from '../../src/backends/flatstore/reader.js';
import { tempDir } from './helpers.js';

const WRITER = fileURLToPath(new URL('./fixtures/seq-writer.ts', import.meta.url));
/** Acknowledged events to wait for before the kill. */
const ACKED_BEFORE_KILL = 3000;

test('SIGKILL mid-write with fsync: every acknowledged event is on disk, at most the last line is torn, the reader skips it', async (t) => {
  const dir = tempDir(t);
  const child = fork(WRITER, [dir, '0', 'crash'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  t.after(() => { child.kill('SIGKILL'); });
  let acked = -1;
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message: { type: string; seq: number }) => {
      if (message.type !== 'ack') return;
      acked = message.seq;
      if (acked >= ACKED_BEFORE_KILL) {
        // The writer keeps raising and writing: the kill lands in the middle of it.
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.once('exit', (code) => { if (acked < ACKED_BEFORE_KILL) reject(new Error(`writer exited early (${code})`)); });
  });
  await new Promise((resolve) => child.once('exit', resolve));

  const text = readFileSync(join(dir, 'ev.log'), 'utf8');
  const lines = text.split('\n');
  const tail = lines.pop() as string;
  for (const line of lines) assert.match(line, /^E_SEQ,\d+,line\\nbreak$/, 'every line but the last is whole');
  assert.ok(tail === '' || 'E_SEQ,1234567,line\\nbreak'.length > tail.length, 'only the last line may be torn');
  const records = parseFlatstore(text);
  assert.equal(records.length, lines.length, 'the reader skips a torn last line and nothing else');
  const seqs = records.map((record) => Number(record.values[0]));
  for (let seq = 0; seq <= acked; seq++) assert.equal(seqs[seq], seq, `acknowledged seq ${seq} is on disk, in order`);
});
