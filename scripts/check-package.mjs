#!/usr/bin/env node
// The npm package as users get it: packs Herald (prepack builds dist/), installs the
// tarball into an empty project with its real registry dependencies, and uses it there
// the way the README says: the CLI, the daemon, an ESM import and a TypeScript consumer.
//
// Not part of `npm test`: the install builds better-sqlite3 from source (1.5–5 min), so
// .ci/run runs this after the suite. Locally: `npm run check:package` (set
// HERALD_KEEP_PACKAGE_CHECK=1 to keep the temp project for a look).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const work = mkdtempSync(join(tmpdir(), 'herald-package-'));
const app = join(work, 'app');
const started = Date.now();

/** Runs a command to completion; throws with its output unless it exits as expected. */
function run(command, args, { cwd = app, expectFailure = false } = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 2 ** 20 });
  const failed = result.status !== 0;
  if (failed !== expectFailure) {
    throw new Error(`${command} ${args.join(' ')} ${expectFailure ? 'succeeded, expected to fail' : `exited ${result.status ?? result.signal}`}\n${result.stdout}${result.stderr}`);
  }
  return result;
}

function check(ok, what) {
  if (!ok) throw new Error(`package check failed: ${what}`);
  console.log(`ok - ${what}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the tarball holds: what users need, none of the tests, benchmarks or sources. */
function checkTarball() {
  const packed = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO });
  // Lifecycle scripts (prepack's build) may print before the JSON.
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[\n')));
  const files = info.files.map((file) => file.path);
  for (const needed of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin/herald.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/bin.js']) {
    check(files.includes(needed), `the tarball has ${needed}`);
  }
  const stray = files.filter((file) => /^(src|test|bench|scripts|\.ci|dist\/(test|bench))\//.test(file) || file.endsWith('.map'));
  check(stray.length === 0, `the tarball has no tests, benchmarks, sources or maps (${files.length} files${stray.length > 0 ? `; stray: ${stray.slice(0, 5).join(', ')}` : ''})`);
  return join(work, info.filename);
}

function installInto(tarball) {
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'herald-package-check', private: true, type: 'module' }, null, 2)}\n`);
  const typesNode = pkg.devDependencies['@types/node'];
  run('npm', ['install', '--no-audit', '--no-fund', tarball, `@types/node@${typesNode}`]);
  check(true, `npm install of ${tarball.split('/').at(-1)} with its registry dependencies`);
}

function checkCli() {
  check(run('npx', ['--no', '--', 'herald', '--version']).stdout.trim() === pkg.version, `npx herald --version prints ${pkg.version}`);
  const events = JSON.parse(run('npx', ['--no', '--', 'herald', 'events', '--json']).stdout);
  check(events.some((event) => event.name === 'E_CORE_TCP_DISCONNECT'), `herald events lists the catalogue (${events.length} events)`);
}

async function checkServe() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(app, 'herald.yaml'), [
    'data_dir: ./herald-data',
    'mi:', `  listen: 127.0.0.1:${port}`,
    'hep:', '  listen: 127.0.0.1:0',
    'sip:', '  listen: 127.0.0.1:0',
    'ingest:', '  http:', '    listen: 127.0.0.1:0', '  opensips:', '    listen: 127.0.0.1:0',
    '',
  ].join('\n'));
  const herald = join(app, 'node_modules', '.bin', 'herald');
  const daemon = spawn(herald, ['serve', '--config', 'herald.yaml'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  daemon.stdout.on('data', (chunk) => { output += chunk; });
  daemon.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => daemon.on('exit', (code, signal) => resolve(code ?? signal)));
  let answer;
  for (let attempt = 0; attempt < 300 && daemon.exitCode === null && answer === undefined; attempt++) {
    const result = spawnSync(herald, ['mi', 'version', '--url', url], { cwd: app, encoding: 'utf8' });
    if (result.status === 0) answer = result.stdout;
    else await sleep(100);
  }
  if (answer === undefined) {
    daemon.kill('SIGKILL');
    throw new Error(`herald serve never answered on ${url}:\n${output}`);
  }
  check(answer.includes(pkg.version), `herald serve answers on ${url} (mi version: ${answer.trim().replace(/\s+/g, ' ')})`);
  daemon.kill('SIGTERM');
  const code = await exited;
  check(code === 0, `herald serve stops on SIGTERM with exit 0 (got ${code})${code === 0 ? '' : `\n${output}`}`);
}

const README_EVENT = `
const LOGIN_FAILED = defineEvent({
  name: 'E_APP_LOGIN_FAILED', pack: 'app', category: 'auth', level: 'warning',
  description: 'A login was refused.',
  params: { user: param.string('who'), remote_ip: param.ip('from where') },
});
const bus = new Bus();
`;

function checkEsmImport() {
  writeFileSync(join(app, 'use.mjs'), `import { Bus, defineEvent, param } from 'herald';
${README_EVENT}
const seen = [];
bus.tap((event) => seen.push({ name: event.name, params: event.params }));
bus.raise(LOGIN_FAILED, { user: 'bob', remote_ip: '192.0.2.7' });
await bus.close();
const { defineService } = await import('herald/runtime');
const { memoryStore } = await import('herald/testing');
console.log(JSON.stringify({ seen, subpaths: [typeof defineService, typeof memoryStore] }));
`);
  const { seen, subpaths } = JSON.parse(run('node', ['use.mjs']).stdout);
  check(seen.length === 1 && seen[0].params.user === 'bob', `import { Bus, defineEvent, param } from 'herald' raises an event at run time`);
  check(subpaths.every((type) => type === 'function'), `herald/runtime and herald/testing import at run time`);
}

function checkTypeScriptConsumer() {
  const options = { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], skipLibCheck: false };
  const project = (files) => `${JSON.stringify({ compilerOptions: options, files }, null, 2)}\n`;
  writeFileSync(join(app, 'good.ts'), `import { Bus, defineEvent, param, type HeraldEvent } from 'herald';
import { parseListen, type ListenAddress } from 'herald/runtime';
import { memoryStore } from 'herald/testing';
${README_EVENT}
const mi: ListenAddress = parseListen('127.0.0.1:8888');
console.log(mi, memoryStore('x').events.length);
bus.raise(LOGIN_FAILED, { user: 'bob', remote_ip: '192.0.2.7' });
const stop: () => void = bus.tap((event: HeraldEvent) => console.log(event.name));
stop();
`);
  writeFileSync(join(app, 'wrong.ts'), `import { Bus, defineEvent, param } from 'herald';
${README_EVENT}
bus.raise(LOGIN_FAILED, { user: 'bob', remote_ip: 7 });
`);
  writeFileSync(join(app, 'tsconfig.good.json'), project(['good.ts']));
  writeFileSync(join(app, 'tsconfig.wrong.json'), project(['wrong.ts']));
  run('node', [TSC, '-p', 'tsconfig.good.json']);
  check(true, 'a TypeScript consumer type-checks against the shipped .d.ts (strict, skipLibCheck off)');
  const wrong = run('node', [TSC, '-p', 'tsconfig.wrong.json'], { expectFailure: true });
  check(/wrong\.ts\(\d+,\d+\): error TS\d+/.test(wrong.stdout) && !/node_modules/.test(wrong.stdout),
    `raise with a wrong param type fails to compile there, in the consumer's file (${wrong.stdout.trim().split('\n')[0]})`);
}

try {
  console.log(`# package check on Node ${process.version} in ${work}`);
  const tarball = checkTarball();
  installInto(tarball);
  checkCli();
  await checkServe();
  checkEsmImport();
  checkTypeScriptConsumer();
  console.log(`# package check passed in ${Math.round((Date.now() - started) / 1000)} s`);
} finally {
  if (process.env.HERALD_KEEP_PACKAGE_CHECK !== '1') rmSync(work, { recursive: true, force: true });
}
