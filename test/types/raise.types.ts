/**
 * Compile-time checks, run by `tsc` in `npm test`. Each @ts-expect-error line
 * must be a type error; if the types ever accept it, tsc fails on the unused directive.
 */
import { Bus } from '../../src/bus/bus.js';
import { startOperation } from '../../src/bus/operation.js';
import { defineEvent, defineOperation } from '../../src/events/define.js';
import { E_CORE_TCP_DISCONNECT } from '../../src/events/packs/core.js';
import { param, type ParamsOf } from '../../src/events/params.js';

const bus = new Bus();

const USER_LOGIN = defineEvent({
  name: 'E_TEST_LOGIN',
  pack: 'test',
  category: 'auth',
  level: 'info',
  description: 'test event',
  params: {
    user: param.string('user'),
    attempts: param.int('attempts'),
    remote_ip: param.ip('peer').optional(),
    tags: param.stringList('tags').optional(),
  },
});

// The good cases compile.
bus.raise(USER_LOGIN, { user: 'bob', attempts: 1 });
bus.raise(USER_LOGIN, { user: 'bob', attempts: 2n ** 40n, remote_ip: '10.0.0.1', tags: ['a'] });
bus.raise(E_CORE_TCP_DISCONNECT, { src_ip: '10.0.0.1', src_port: 5060, dst_ip: '10.0.0.2', dst_port: 5061, proto: 'tcp' });

// @ts-expect-error unknown param
bus.raise(USER_LOGIN, { user: 'bob', attempts: 1, nope: true });
// @ts-expect-error missing required param `attempts`
bus.raise(USER_LOGIN, { user: 'bob' });
// @ts-expect-error wrong type: attempts is an int
bus.raise(USER_LOGIN, { user: 'bob', attempts: '1' });
// @ts-expect-error wrong type: tags is a string list
bus.raise(USER_LOGIN, { user: 'bob', attempts: 1, tags: 'a,b' });
// @ts-expect-error the core event's port is a number
bus.raise(E_CORE_TCP_DISCONNECT, { src_ip: '10.0.0.1', src_port: '5060', dst_ip: '10.0.0.2', dst_port: 5061, proto: 'tcp' });

// Parents: the child inherits the parent's params, and may override them.
const CHILD = defineEvent({
  name: 'E_TEST_CHILD',
  pack: 'test',
  category: 'auth',
  level: 'info',
  description: 'child',
  parent: USER_LOGIN,
  params: { attempts: param.string('now a string'), result: param.bool('ok?') },
});
bus.raise(CHILD, { user: 'bob', attempts: 'three', result: true });
// @ts-expect-error the override changed attempts to a string
bus.raise(CHILD, { user: 'bob', attempts: 3, result: true });
// @ts-expect-error the inherited `user` is still required
bus.raise(CHILD, { attempts: 'x', result: true });

// Timed operations: finish takes only the finished-only params; duration is added by Herald.
const IMAP = defineOperation({
  name: 'test_command',
  pack: 'test',
  category: 'imap',
  level: 'debug',
  description: 'op',
  params: { name: param.string('command') },
  finishedParams: { bytes_out: param.int('bytes') },
});
const op = startOperation(bus, IMAP, { name: 'SELECT' });
op.finish({ bytes_out: 10 });
// @ts-expect-error finish requires bytes_out
op.finish({});
type Finished = ParamsOf<typeof IMAP.finished.params>;
const finished: Finished = { name: 'SELECT', bytes_out: 1, duration: 5 };
void finished;
// @ts-expect-error the finished event carries duration
const missingDuration: Finished = { name: 'SELECT', bytes_out: 1 };
void missingDuration;
