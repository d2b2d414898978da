#!/usr/bin/env node
// node scripts/bench-compare.mjs A.json B.json: two `npm run bench -- … --json` reports (one per
// Node version, same machine) as one markdown table per suite: each value with its ratio to the
// suite's anchor in that run, and B's value over A's.
import { readFileSync } from 'node:fs';

const [a, b] = process.argv.slice(2).map((file) => JSON.parse(readFileSync(file, 'utf8')));
if (a === undefined || b === undefined) {
  process.stderr.write('usage: node scripts/bench-compare.mjs A.json B.json\n');
  process.exit(2);
}
const format = (value) => (value >= 100 ? Math.round(value).toLocaleString('en-US').replaceAll(',', ' ') : String(Number(value.toPrecision(3))));
/** A value, with its ratio to the suite's anchor in the same run when it has one. */
const cell = (result) => (result.ratio === undefined ? format(result.value) : `${format(result.value)} (${result.ratio}× ${result.anchor ?? 'anchor'})`);
const [nameA, nameB] = [`Node ${a.machine.node}`, `Node ${b.machine.node}`];

process.stdout.write(`${a.machine.cpu}, ${a.machine.cores} cores, ${a.machine.memoryGiB} GiB\n`);
for (const report of a.reports) {
  const key = (result) => `${result.name}\u0000${result.unit}`;
  const other = new Map((b.reports.find((r) => r.suite === report.suite)?.results ?? []).map((r) => [key(r), r]));
  process.stdout.write(`\n### ${report.suite}\n\n| measure | unit | ${nameA} | ${nameB} | ${nameB.split(' ')[1]} / ${nameA.split(' ')[1]} |\n|---|---|---|---|---|\n`);
  for (const result of report.results) {
    const twin = other.get(key(result));
    const ratio = twin !== undefined && result.value !== 0 ? `${(twin.value / result.value).toFixed(2)}×` : '';
    process.stdout.write(`| ${result.name} | ${result.unit} | ${cell(result)} | ${twin === undefined ? '–' : cell(twin)} | ${ratio} |\n`);
  }
}
