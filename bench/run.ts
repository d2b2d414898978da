import { arch, cpus, totalmem } from 'node:os';
import type { BenchOptions, BenchReport } from './report.js';

/*
 * npm run bench -- [suite …] [--json] [--seconds N] [--rates a,b,…]
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
  ingest: async () => (await import('./ingest.js')).run,
  delivery: async () => (await import('./delivery.js')).run,
  brokers: async () => (await import('./brokers.js')).run,
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

/** Options that take a value (`--seconds 60`); every other `--flag` stands alone. */
const VALUED = new Set(['--seconds', '--rates']);

function parseArgs(args: readonly string[]): { names: string[]; options: BenchOptions } {
  const names: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    if (VALUED.has(args[i])) values.set(args[i], args[++i] ?? '');
    else if (!args[i].startsWith('--')) names.push(args[i]);
  }
  const seconds = values.has('--seconds') ? Number(values.get('--seconds')) : undefined;
  const rates = values.get('--rates')?.split(',').map(Number);
  if ((seconds !== undefined && !(seconds > 0)) || rates?.some((r) => !(r > 0))) {
    process.stderr.write('--seconds and --rates take positive numbers (--rates 10000,50000)\n');
    process.exit(2);
  }
  return { names, options: { json: args.includes('--json'), ...(seconds !== undefined ? { seconds } : {}), ...(rates !== undefined ? { rates } : {}) } };
}

async function main(): Promise<void> {
  const { names, options } = parseArgs(process.argv.slice(2));
  const { json } = options;
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
    const report = await (await SUITES[name]())(options);
    reports.push(report);
    if (!json) printTable(report);
  }
  if (json) process.stdout.write(`${JSON.stringify({ machine, reports }, null, 2)}\n`);
}

await main();
