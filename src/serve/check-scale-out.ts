import type { HeraldConfig } from '../config/schema.js';
import { natsServers } from '../scale-out/subjects.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/**
 * What the collector and writer roles need beyond the schema (docs/scale-out.md), as
 * `  key: problem` lines for checkServeConfig: the servers parse as host:port; a writer
 * writes to PostgreSQL (the only store whose trace table is idempotent on row_uid).
 */
export function scaleOutProblems(config: HeraldConfig): string[] {
  if (config.role === 'standalone') return [];
  const problems: string[] = [];
  config.scale_out.servers.forEach((server, index) => {
    try {
      natsServers({ servers: [server] });
    } catch {
      problems.push(`  scale_out.servers[${index}]: "${server}" is not host:port with a port from 1 to 65535 (e.g. 127.0.0.1:4222)`);
    }
  });
  if (config.role !== 'writer') return problems;
  if (!config.trace.enabled) problems.push('  trace.enabled: role writer writes trace rows into the trace store; it must be true');
  if (!POSTGRES_URL.test(config.trace.store)) {
    problems.push(`  trace.store: role writer writes to PostgreSQL; give a postgres://… URL (not "${config.trace.store.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@')}")`);
  }
  const events = config.scale_out.event_store;
  if (events !== '' && !POSTGRES_URL.test(events)) problems.push('  scale_out.event_store: role writer writes events to PostgreSQL; give a postgres://… URL or leave it empty');
  return problems;
}
