import { Worker } from 'node:worker_threads';

/**
 * The code a module thread starts with: it loads the module (registering tsx first when
 * it is TypeScript, i.e. Herald runs from source) and calls its `start(options)`.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  const module = await import(workerData.module);
  await module.start(workerData.options);
})().catch((error) => { setImmediate(() => { throw error; }); });
`;

/** A thread running `module`'s exported `start(options)`; `options` is copied (structured clone). */
export function startModuleThread(module: URL, options: unknown, name: string): Worker {
  return new Worker(BOOTSTRAP, { eval: true, name, workerData: { module: module.href, tsx: tsxFor(module), options } });
}

/** tsx's ESM register API, for a thread whose module is a .ts file (tests, `npm run bench`). */
export function tsxFor(module: URL): string | undefined {
  return module.pathname.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : undefined;
}

/** A module next to `base` (an import.meta.url): `.ts` from source, `.js` from dist. */
export function siblingModule(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}
