import assert from 'node:assert/strict';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { startDaemon } from '../../src/serve/serve.js';
import { runCli } from '../cli/mi-cli-helpers.js';

const BAD = {
  subscribers: [
    { socket: 'nosuch:somewhere', event: 'E_CORE_LOG' },
    { socket: 'jsonl:/tmp/x.log', event: 'E_NO_SUCH_EVENT' },
    { socket: 'jsonl:/tmp/y.log', filter: 'level>=' },
  ],
  core_events: { autoscale: { profile: 'scale up to lots' } },
  trace: { ids: ['[x]ftp://nowhere'], allowed_destinations: ['10.0.0.0/99'] },
  mi: { listen: '127.0.0.1:0', headers_timeout_ms: 5000, request_timeout_ms: 1000 },
};

const EXPECTED = [
  /subscribers\[0\]\.socket: Unknown transport "nosuch"/,
  /subscribers\[1\]\.event: unknown event "E_NO_SUCH_EVENT"/,
  /subscribers\[2\]\.filter: /,
  /core_events\.autoscale\.profile: /,
  /trace\.ids\[0\]: /,
  /trace\.allowed_destinations\[0\]: /,
  /mi\.headers_timeout_ms: .*must not exceed mi\.request_timeout_ms/,
];

// Issue 12 point 21: `herald config` passed configs that serve rejected, and serve bound ports first.
test('herald config and herald serve refuse the same problems, all at once, before anything is created or bound', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-check-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const configPath = join(dir, 'herald.yaml');
  const dataDir = join(dir, 'data');
  await writeFile(configPath, JSON.stringify({ data_dir: dataDir, log: { level: 'silent' }, ...BAD }));
  const checked = await runCli(['config', '--config', configPath]);
  assert.equal(checked.code, 2, checked.stderr);
  for (const pattern of EXPECTED) assert.match(checked.stderr, pattern);
  await assert.rejects(startDaemon({ configPath, env: {}, announce: () => undefined }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HERALD_ERR_CONFIG');
    for (const pattern of EXPECTED) assert.match(error.message, pattern);
    return true;
  });
  await assert.rejects(access(dataDir), 'the data dir was never created: serve stopped before starting anything');
});
