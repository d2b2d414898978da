import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStore, type MemoryStore } from '../../src/backends/memory/index.js';
import type { Bus, BusOptions } from '../../src/bus/bus.js';
import type { JsonValue } from '../../src/events/json.js';
import type { ParamKind, ParamValue } from '../../src/events/params.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';

type After = { after(fn: () => Promise<void> | void): void };

/** A fresh directory under the OS temp dir, removed after the test. */
export function tempDir(t: After, label = 'herald-files-'): string {
  const dir = mkdtempSync(join(tmpdir(), label));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A bus with every shipped backend whose file root is `dir`. */
export function fileBus(t: After, dir: string, options: BusOptions = {}): Bus {
  return testBus(t, { fileRoots: [dir], dataDir: dir, ...options });
}

/** Collects the E_FLATSTORE_ROTATION events a bus raises. */
export async function rotationEvents(bus: Bus): Promise<MemoryStore> {
  const socket = uniqueMemorySocket('rotations');
  await bus.subscribe(socket, { event: 'E_FLATSTORE_ROTATION' });
  return memoryStore(socket.slice('memory:'.length));
}

const HOSTILE_STRINGS: readonly string[] = [
  'a,b', ';;x;;', 'line\nbreak', 'cr\r\nlf', 'back\\slash', '\\n not a newline', 'trailing\\', '"quoted"', "'single'",
  'ünïcødé 😀 中文', '', ' spaces ', 'E_FAKE,1,2', '\t', '\\,', ',', '\n', '::', 'a::b:', '\u0000nul',
];

/** A hostile value of each kind; `variant` walks through the list so every value gets used. */
export function hostileValue(kind: ParamKind, variant: number): ParamValue {
  const pick = <T>(values: readonly T[]): T => values[variant % values.length];
  switch (kind) {
    case 'int': return pick<number | bigint>([0, -1, Number.MAX_SAFE_INTEGER, -(2n ** 63n), 2n ** 63n - 1n, 42]);
    case 'float': return pick([0.1, -1.5e300, 5e-324, 1e21, 3.14159]);
    case 'bool': return pick([true, false]);
    case 'string': return pick(HOSTILE_STRINGS);
    case 'ip': return pick(['::1', '10.0.0.1', '2001:db8::ff00:42:8329']);
    case 'port': return pick([0, 65535, 5060]);
    case 'duration': return pick([0, 123_456_789]);
    case 'timestamp': return pick([1795320716.123, 0, 1e9]);
    case 'string_list': return pick<readonly string[]>([[], ['a,b', '', 'c\\d', 'e\nf'], ['😀', ';;']]);
    case 'json': return pick<JsonValue>([{ a: [1, 'x,y\n'], b: null, 'k"': true }, 'json string, with comma', 42, [[], {}]]);
  }
}
