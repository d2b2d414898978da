// Soak of the JetStream scale-out (issue 14), not part of npm test:
//   node --import tsx scripts/soak-scale-out.ts [--rounds 60] [--rows 20000]
// 1. the cluster test (test/scale-out/cluster.test.ts) with --rounds rounds of load instead of 10:
//    a writer SIGKILLed and a NATS node killed half-way, every packet and event counted once in PostgreSQL;
// 2. writer throughput, 1 writer beside 2 in the same run (test/scale-out/throughput.soak.ts), printed as
//    SCALE_OUT_THROUGHPUT {...} with the ratio. Needs nats-server and the PostgreSQL binaries.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const rounds = arg('rounds', 60);
const rows = arg('rows', 20_000);

function run(file: string, env: Record<string, string>): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', file], {
    stdio: 'inherit', env: { ...process.env, HERALD_REQUIRE_SERVICES: '1', ...env },
  });
  console.log(`${file}: exit ${result.status} in ${((performance.now() - started) / 1000).toFixed(1)} s, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  return result.status ?? 1;
}

console.log(`soak:scale-out ${new Date().toISOString()} rounds=${rounds} rows=${rows} load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const failed = run('test/scale-out/cluster.test.ts', { SCALE_OUT_ROUNDS: String(rounds), SCALE_OUT_DRAIN_MS: String(120_000 + rounds * 2000) })
  + run('test/scale-out/throughput.soak.ts', { SCALE_OUT_ROWS: String(rows) });
process.exit(failed === 0 ? 0 : 1);
