import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../log/logger.js';
import { startDaemon } from '../serve/serve.js';
import type { MiCommandDescription } from '../runtime/mi/command.js';
import { renderMiMarkdown } from '../mi/docs.js';
import { MI_COMMANDS_SLOT } from '../runtime/mi/registry.js';
import { MI_ADDRESS_KEY } from '../mi/service.js';
import { loadOrCreateToken } from '../runtime/token.js';

export interface GeneratedMiDocs {
  /** The generated section of docs/mi.md. */
  readonly markdown: string;
  /** What `which` answered over HTTP on the same daemon. */
  readonly which: readonly MiCommandDescription[];
}

/**
 * Starts a throwaway daemon (temp data dir, every listener on a free loopback port,
 * so services that add commands are running), reads its registry and `which`, stops it.
 */
export async function generateMiDocs(): Promise<GeneratedMiDocs> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-mi-docs-'));
  const configPath = join(dir, 'herald.yaml');
  await writeFile(configPath, JSON.stringify({
    data_dir: join(dir, 'data'),
    log: { level: 'silent' },
    subscribers: [],
    mi: { listen: '127.0.0.1:0' },
    hep: { listen: '127.0.0.1:0' },
    sip: { listen: '127.0.0.1:0' },
    ingest: { http: { listen: '127.0.0.1:0' }, opensips: { listen: '127.0.0.1:0' } },
  }));
  try {
    const daemon = await startDaemon({ configPath, env: {}, announce: () => undefined, logger: silentLogger() });
    try {
      const registry = daemon.runtime.slots.require(MI_COMMANDS_SLOT, 'mi-docs');
      const { url } = daemon.runtime.slots.require(MI_ADDRESS_KEY, 'mi-docs');
      const token = await loadOrCreateToken(daemon.runtime.dataDir, silentLogger());
      const response = await fetch(`${url}/mi`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'which' }),
      });
      const answer = (await response.json()) as { result: MiCommandDescription[] };
      return { markdown: renderMiMarkdown(registry.list()), which: answer.result };
    } finally {
      await daemon.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
