import { arch, cpus, totalmem } from 'node:os';
import type { BenchOptions, BenchReport } from './report.js';

/*
 * npm run bench -- [suite …] [--json]
 * Every suite runs its anchor (pino, hep-js, raw write, naive SQLite, …) in the same
 * process run and prints Herald's ratio to it.
 */
type Suite = (options: BenchOptions) => Promise<BenchReport>;

const SUITES: Readonly<Record<string, () => Promise<Suite>>> = {
  raise: async () => (await import('./raise.js')).run,
  instrument: async () => (await import('./instrument.js')).run,
  autoscale: async () => (await import('./autoscale.js')).run,
  files: async () => (await import('./files.js')).run,
  trace: async () => (await import('./trace.js')).run,
  metrics: async () => (await import('./metrics.js')).run,
  'ingest-events': async () => (await import('./ingest-events.js')).run,
  delivery: async () => (await import('./delivery.js')).run,
};

function printTable(report: BenchReport): void {
  process.stdout.write(`\n## ${report.suite}\n`);
  const width = Math.max(...report.results.map((r) => r.name.length));
  for (const result of report.results) {
    const ratio = result.ratio !== undefined ? `  (${result.ratio}× ${result.anchor ?? 'anchor'})` : '';
    process.stdout.write(`${result.name.padEnd(width)}  ${String(result.value).padStart(14)} ${result.unit}${ratio}\n`);
  }
  for (const note of report.notes ?? []) process.stdout.write(`  note: ${note}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown bench suite(s): ${unknown.join(', ')} (known: ${Object.keys(SUITES).join(', ')})\n`);
    process.exit(2);
  }
  const selected = names.length > 0 ? names : Object.keys(SUITES);
  const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, arch: arch(), memoryGiB: Math.round(totalmem() / 2 ** 30) };
  if (!json) process.stdout.write(`node ${machine.node}, ${machine.cpu}, ${machine.cores} cores\n`);
  const reports: BenchReport[] = [];
  for (const name of selected) {
    const report = await (await SUITES[name]())({ json });
    reports.push(report);
    if (!json) printTable(report);
  }
  if (json) process.stdout.write(`${JSON.stringify({ machine, reports }, null, 2)}\n`);
}

await main();
