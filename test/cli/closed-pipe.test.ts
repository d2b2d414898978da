import assert from 'node:assert/strict';
import test from 'node:test';
import { spawnCli } from './mi-cli-helpers.js';

// Issue 12, point 20: `herald events | head` died with an EPIPE stack trace
// once head had read its lines and closed the pipe.
test('a reader that closes the pipe early ends the CLI quietly with 0', async () => {
  for (const args of [['events'], ['events', '--json']]) {
    const child = spawnCli(args);
    child.stdout.destroy(); // the read end closes before the first byte: every write meets EPIPE
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '', `herald ${args.join(' ')}: nothing on stderr`);
    assert.equal(code, 0, `herald ${args.join(' ')}`);
  }
});
