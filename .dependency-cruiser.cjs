/**
 * Herald's floors (docs/architecture.md), lowest first; a module may import its
 * own floor and the floors below, never above:
 *
 *   errors, config, events, log  <  bus  <  runtime  <  backends
 *     <  sources, trace, process, mi, metrics, ingest, testing, … (the services)  <  serve  <  cli
 *
 * config reads each backend's options schema (backends/NAME/schema.ts) and a
 * service's config schema (e.g. metrics/schema.ts); what a schema imports must
 * not lead up to the bus or above.
 * Nothing in src/ or bench/ imports test/; nothing below serve/ imports it.
 */
const BOTTOM = '^src/(errors|config|events|log)/';
const SCHEMA = '^src/backends/[^/]+/[^/]*schema[.]ts$|^src/[^/]+/schema[.]ts$';
const SERVICES = '^src/(?!(errors|config|events|log|bus|runtime|backends|serve|cli)/)[^/]+/';

/** A rule forbidding `from` to import anything in src/ except `allowed`. */
function floor(name, from, allowed, comment) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: '^src/', pathNot: allowed } };
}

module.exports = {
  forbidden: [
    {
      // A cycle closed only by a type import (a route naming its server's type) has no load order to get wrong.
      name: 'no-circular', severity: 'error', comment: 'Import cycles hide the floor a module belongs to.',
      from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-from-tests', severity: 'error', comment: 'Shared test helpers live in src/testing/ (herald/testing), which src/, bench/ and test/ may import.',
      from: { path: '^(src|bench|scripts)/' }, to: { path: '^test/' },
    },
    floor('bottom-floor', `${BOTTOM}`, `${BOTTOM}|${SCHEMA}`, 'errors, config, events and log import only each other (and the backends\' option schemas, for config).'),
    {
      name: 'bottom-floor-stays-down', severity: 'error',
      comment: 'What the bottom floor reads of a backend (its options schema) must not lead up to the bus or anything above it.',
      from: { path: BOTTOM }, to: { path: '^src/(?!(errors|config|events|log|backends)/)', pathNot: '^src/[^/]+/schema[.]ts$', reachable: true },
    },
    floor('bus-floor', '^src/bus/', `${BOTTOM}|^src/bus/`, 'The bus sits on the bottom floor only.'),
    floor('runtime-floor', '^src/runtime/', `${BOTTOM}|^src/(bus|runtime)/`, 'The runtime floor is below every service and backend.'),
    floor('backends-floor', '^src/backends/', `${BOTTOM}|^src/(bus|runtime|backends)/`, 'Backends are dumb: bus contract, runtime helpers, their own folder.'),
    {
      name: 'services-floor', severity: 'error', comment: 'Services never import the composition root, the CLI or the package entry.',
      from: { path: SERVICES }, to: { path: '^src/(serve|cli)/|^src/index\\.ts$' },
    },
    {
      name: 'serve-floor', severity: 'error', comment: 'The composition root does not import the CLI.',
      from: { path: '^src/serve/' }, to: { path: '^src/cli/|^src/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
