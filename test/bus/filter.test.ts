import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileFilter, FILTER_LEVELS, FilterSyntaxError, formatFilter, MAX_FILTER_NESTING, parseFilter,
  type FilterableEvent, type FilterLevel, type FilterNode,
} from '../../src/bus/filter/index.js';

const BASE_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({
  user: 'Alice@Example.COM',
  method: 'INVITE',
  status: 486,
  duration: 1500,
  ratio: 0.25,
  neg: -3,
  big: 9007199254740993n,
  huge: 123456789012345678901234567890n,
  secure: true,
  retried: false,
  tags: ['Alpha', 'beta', 'gamma-1'],
  emptyList: [],
  blank: '',
  nothing: null,
  meta: { nested: 'x' },
});

function ev(overrides: Partial<FilterableEvent> = {}): FilterableEvent {
  return { name: 'sip_call_finished', category: 'sip', level: 'warning', params: BASE_PARAMS, ...overrides };
}

function withParams(params: Record<string, unknown>): FilterableEvent {
  return ev({ params: { ...BASE_PARAMS, ...params } });
}

function named(name: string): FilterableEvent {
  return ev({ name });
}

function matches(filter: string, event: FilterableEvent = ev()): boolean {
  return compileFilter(filter).match(event);
}

interface MatchCase {
  readonly filter: string;
  readonly expected: boolean;
  readonly event?: FilterableEvent;
}

const MATCH_CASES: readonly MatchCase[] = [
  // event name: wildcards, case-sensitive, whole-string
  { filter: 'event=sip_call_finished', expected: true },
  { filter: 'event=sip_*', expected: true },
  { filter: 'event=*_finished', expected: true },
  { filter: 'event=sip_call_??nished', expected: true },
  { filter: 'event=sip_call_?nished', expected: false },
  { filter: 'event=SIP_*', expected: false },
  { filter: 'event=sip', expected: false },
  { filter: 'event=*', expected: true },
  { filter: 'event=*call*', expected: true },
  { filter: 'event=s*c*f*d', expected: true },
  { filter: 'event=s*x*d', expected: false },
  // category: exact, case-sensitive, wildcards
  { filter: 'category=sip', expected: true },
  { filter: 'category=SIP', expected: false },
  { filter: 'category=s?p', expected: true },
  { filter: 'category=si', expected: false },
  // level (event is at warning)
  { filter: 'level=warning', expected: true },
  { filter: 'level>=warning', expected: true },
  { filter: 'level>warning', expected: false },
  { filter: 'level<error', expected: true },
  { filter: 'level<=info', expected: false },
  { filter: 'level>=WARNING', expected: true },
  { filter: 'level=trace', expected: false },
  { filter: 'level>notice', expected: true },
  // string params: case-insensitive wildcard match, no inequalities
  { filter: 'user=alice@example.com', expected: true },
  { filter: 'user=ALICE*', expected: true },
  { filter: 'user=*@example.???', expected: true },
  { filter: 'user=bob*', expected: false },
  { filter: 'method=invite', expected: true },
  { filter: 'user>1', expected: false },
  { filter: 'status=486', event: withParams({ status: '486' }), expected: true },
  { filter: 'status>400', event: withParams({ status: '486' }), expected: false },
  // number params
  { filter: 'status=486', expected: true },
  { filter: 'status=486.0', expected: true },
  { filter: 'status>=400', expected: true },
  { filter: 'status<400', expected: false },
  { filter: 'duration>1499.5', expected: true },
  { filter: 'duration<=1500', expected: true },
  { filter: 'duration=1.5e3', expected: true },
  { filter: 'status=4*', expected: true },
  { filter: 'status=5*', expected: false },
  { filter: 'status=48?', expected: true },
  { filter: 'ratio=0.25', expected: true },
  { filter: 'ratio<.3', expected: true },
  { filter: 'neg<-2', expected: true },
  { filter: 'neg>=-3', expected: true },
  { filter: 'neg>-3', expected: false },
  { filter: 'status=abc', expected: false },
  { filter: 'status<123456789012345678901234567890', expected: true },
  { filter: 'status>0', event: withParams({ status: Number.NaN }), expected: false },
  { filter: 'status>1e300', event: withParams({ status: Number.POSITIVE_INFINITY }), expected: true },
  // bigint params
  { filter: 'big=9007199254740993', expected: true },
  { filter: 'big=9007199254740992', expected: false },
  { filter: 'big>9007199254740992', expected: true },
  { filter: 'big<9007199254740993.5', expected: true },
  { filter: 'big>9007199254740992.5', expected: true },
  { filter: 'big<=9007199254740992.9', expected: false },
  { filter: 'huge>=123456789012345678901234567890', expected: true },
  { filter: 'huge>123456789012345678901234567890', expected: false },
  { filter: 'huge=1234*', expected: true },
  { filter: 'big>-1.5', expected: true },
  { filter: 'big<-1.5', event: withParams({ big: -2n }), expected: true },
  { filter: 'big>-1.5', event: withParams({ big: -2n }), expected: false },
  { filter: 'big=-1.5', event: withParams({ big: -2n }), expected: false },
  // booleans
  { filter: 'secure=true', expected: true },
  { filter: 'secure=TRUE', expected: true },
  { filter: 'secure=false', expected: false },
  { filter: 'retried=false', expected: true },
  { filter: 'secure>0', expected: false },
  // string lists
  { filter: 'tags=alpha', expected: true },
  { filter: 'tags=GAM*', expected: true },
  { filter: 'tags=delta', expected: false },
  { filter: 'tags=""', expected: false },
  { filter: 'emptyList=""', expected: true },
  { filter: 'emptyList=*', expected: false },
  { filter: 'tags>1', expected: false },
  // missing / empty / null / non-scalar
  { filter: 'missing=""', expected: true },
  { filter: 'missing=*', expected: false },
  { filter: 'missing>0', expected: false },
  { filter: 'missing=0', expected: false },
  { filter: 'blank=""', expected: true },
  { filter: 'blank=*', expected: false },
  { filter: 'nothing=""', expected: true },
  { filter: 'user=""', expected: false },
  { filter: 'status=""', expected: false },
  { filter: 'meta=*', expected: false },
  { filter: 'constructor=*', expected: false },
  { filter: 'toString=""', expected: true },
  // quoting and escapes
  { filter: 'file="report\\*.txt"', event: withParams({ file: 'report*.txt' }), expected: true },
  { filter: 'file="report\\*.txt"', event: withParams({ file: 'report1.txt' }), expected: false },
  { filter: 'file="report*.txt"', event: withParams({ file: 'report1.txt' }), expected: true },
  { filter: 'file="what\\?"', event: withParams({ file: 'whatX' }), expected: false },
  { filter: 'file="what\\?"', event: withParams({ file: 'WHAT?' }), expected: true },
  { filter: 'quote="say \\"hi\\" \\\\o/"', event: withParams({ quote: 'say "hi" \\o/' }), expected: true },
  { filter: '"user"="alice@example.com"', expected: true },
  { filter: 'subject="hello world (re: AND)"', event: withParams({ subject: 'Hello World (RE: and)' }), expected: true },
  { filter: 'uri=sip:+4930@example.com/x%20y', event: withParams({ uri: 'sip:+4930@example.com/x%20y' }), expected: true },
  // unicode
  { filter: 'file=a?b', event: withParams({ file: 'a😀b' }), expected: true },
  { filter: 'file=a??b', event: withParams({ file: 'a😀b' }), expected: false },
  { filter: 'file="ÄRGER*"', event: withParams({ file: 'ärger über' }), expected: true },
  // NOT / AND / OR / parentheses / keyword case
  { filter: 'NOT event=foo', expected: true },
  { filter: 'not event=sip_*', expected: false },
  { filter: 'NOT NOT event=sip_*', expected: true },
  { filter: 'event=foo OR category=sip', expected: true },
  { filter: 'event=foo or category=sip', expected: true },
  { filter: 'event=sip_* AND level>=error', expected: false },
  { filter: 'event=sip_* aNd status=486', expected: true },
  { filter: 'NOT (event=foo OR category=other)', expected: true },
  { filter: 'NoT (event=sip_* Or category=other)', expected: false },
  { filter: '(event=foo OR category=sip) AND status=486', expected: true },
  { filter: '((((event=sip_*))))', expected: true },
  { filter: 'event=sip_*\n\tAND\r\n  status>=400\n', expected: true },
  { filter: 'event=a OR event=b OR event=c OR category=sip', expected: true },
  { filter: 'status>1 AND status>2 AND status>3 AND status>486', expected: false },
];

describe('filter match table', () => {
  assert.ok(MATCH_CASES.length >= 50);
  for (const [index, testCase] of MATCH_CASES.entries()) {
    it(`#${index} ${JSON.stringify(testCase.filter)} → ${testCase.expected}`, () => {
      assert.equal(matches(testCase.filter, testCase.event ?? ev()), testCase.expected);
    });
  }
});

describe('precedence', () => {
  it('AND binds tighter than OR (unlike Dovecot)', () => {
    const filter = 'event=a OR event=b AND event=c';
    assert.equal(formatFilter(parseFilter(filter)), 'event=a OR (event=b AND event=c)');
    // Dovecot would read ((a OR b) AND c), which is false for an event named "a".
    assert.equal(matches(filter, named('a')), true);
    assert.equal(matches(filter, named('b')), false);
    assert.equal(matches(filter, named('c')), false);
  });

  it('AND binds tighter than OR when AND comes first', () => {
    const filter = 'event=b AND event=c OR event=a';
    assert.equal(formatFilter(parseFilter(filter)), '(event=b AND event=c) OR event=a');
    assert.equal(matches(filter, named('a')), true);
    assert.equal(matches(filter, named('b')), false);
  });

  it('parses a mixed chain into OR of ANDs', () => {
    const node = parseFilter('a=1 AND b=2 OR c=3 AND d=4 OR e=5');
    assert.equal(node.type, 'or');
    assert.ok(node.type === 'or');
    assert.deepEqual(node.operands.map((operand) => operand.type), ['and', 'and', 'param']);
  });

  it('NOT binds tighter than AND', () => {
    const filter = 'NOT event=foo AND event=bar';
    assert.equal(formatFilter(parseFilter(filter)), 'NOT event=foo AND event=bar');
    const node = parseFilter(filter);
    assert.equal(node.type, 'and');
    // (NOT foo) AND bar is false for "foo"; NOT (foo AND bar) would be true.
    assert.equal(matches(filter, named('foo')), false);
    assert.equal(matches(filter, named('bar')), true);
  });

  it('NOT binds tighter than OR', () => {
    const filter = 'NOT event=foo OR event=foo';
    assert.equal(parseFilter(filter).type, 'or');
    // (NOT foo) OR foo is always true; NOT (foo OR foo) would be false for "foo".
    assert.equal(matches(filter, named('foo')), true);
    assert.equal(matches(filter, named('bar')), true);
  });

  it('parentheses override precedence', () => {
    const filter = '(event=a OR event=b) AND event=c';
    assert.equal(matches(filter, named('a')), false);
    assert.equal(formatFilter(parseFilter(filter)), '(event=a OR event=b) AND event=c');
    assert.equal(matches('NOT (event=foo AND event=bar)', named('foo')), true);
  });

  it('keeps long AND chains flat instead of nesting one level per operand', () => {
    const source = Array.from({ length: 5000 }, (_, i) => `k${i}=""`).join(' AND ');
    const node = parseFilter(source);
    assert.ok(node.type === 'and');
    assert.equal(node.operands.length, 5000);
    assert.equal(compileFilter(source).match(ev()), true);
  });
});

describe('parseFilter AST', () => {
  it('builds typed nodes with positions and glob info', () => {
    const expected: FilterNode = {
      type: 'and',
      operands: [
        { type: 'event', position: 0, value: { text: 'sip_*', glob: 'sip_*', position: 6 } },
        { type: 'level', position: 16, op: '>=', level: 'error' },
        {
          type: 'not',
          operand: { type: 'param', position: 37, key: 'file', op: '=', value: { text: 'a*"', glob: 'a\\*"', position: 42 } },
        },
        { type: 'category', position: 54, value: { text: 'x', glob: 'x', position: 63 } },
      ],
    };
    assert.deepEqual(parseFilter('event=sip_* AND level>=Error AND NOT file="a\\*\\"" AND category=x'), expected);
  });

  it('treats quoted keywords as plain values and keys', () => {
    assert.deepEqual(parseFilter('"and"="OR"'), {
      type: 'param', position: 0, key: 'and', op: '=', value: { text: 'OR', glob: 'OR', position: 6 },
    });
  });

  it('formatFilter output parses back to the same shape', () => {
    for (const source of [
      'a=1 OR b=2 AND NOT (c=3 OR d="x y")', 'x="a\\*b\\\\c\\"d" AND "odd key"=""', 'level<notice OR "and"="not"',
    ]) {
      const once = formatFilter(parseFilter(source));
      assert.equal(formatFilter(parseFilter(once)), once);
    }
    assert.equal(formatFilter(parseFilter('x="a\\*b"')), 'x="a\\*b"');
    assert.equal(formatFilter(parseFilter('"and"=""')), '"and"=""');
  });
});

describe('compiled filter', () => {
  it('keeps its source and is frozen', () => {
    const compiled = compileFilter('event=x');
    assert.equal(compiled.source, 'event=x');
    assert.ok(Object.isFrozen(compiled));
  });

  it('match works when detached from the object', () => {
    const { match } = compileFilter('category=sip');
    assert.equal(match(ev()), true);
  });

  it('every level compares in the documented order', () => {
    assert.deepEqual([...FILTER_LEVELS], ['trace', 'debug', 'info', 'notice', 'warning', 'error', 'critical']);
    const atLeastNotice = compileFilter('level>=notice');
    const got = FILTER_LEVELS.filter((level: FilterLevel) => atLeastNotice.match(ev({ level })));
    assert.deepEqual(got, ['notice', 'warning', 'error', 'critical']);
    const below = compileFilter('level<info');
    assert.deepEqual(FILTER_LEVELS.filter((level) => below.match(ev({ level }))), ['trace', 'debug']);
  });

  it('does not throw on malformed runtime events', () => {
    const broken = { name: undefined, category: 7, level: 'loud', params: null } as unknown as FilterableEvent;
    assert.equal(compileFilter('event=* OR category=* OR level>=trace OR x=*').match(broken), false);
    assert.equal(compileFilter('x=""').match(broken), true);
  });

  it('wildcard matching is not exposed to catastrophic backtracking', () => {
    const filter = compileFilter('x=*a*a*a*a*a*a*a*a*a*a*a*a*b');
    const started = performance.now();
    assert.equal(filter.match(withParams({ x: 'a'.repeat(100_000) })), false);
    assert.ok(performance.now() - started < 1000);
  });

  it('wildcard matcher agrees with a reference RegExp on random inputs', () => {
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = (alphabet: string, length: number): string =>
      Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
    for (let i = 0; i < 3000; i += 1) {
      const glob = pick('ab*?', random(7));
      const input = pick('abAB', random(9));
      const reference = new RegExp(`^${glob.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'is');
      const filter = compileFilter(glob === '' ? 'x=""' : `x="${glob}"`);
      const expected = input === '' ? glob === '' : reference.test(input);
      assert.equal(filter.match(withParams({ x: input })), expected, `glob ${glob} vs ${input}`);
    }
  });
});

interface ErrorCase {
  readonly filter: string;
  readonly position: number;
  readonly expected: string;
  readonly found?: string;
  readonly message?: RegExp | string;
}

const ERROR_CASES: readonly ErrorCase[] = [
  { filter: '', position: 0, expected: 'a filter expression', found: 'end of input' },
  { filter: '  \n\t ', position: 5, expected: 'a filter expression', found: 'end of input' },
  {
    filter: 'status>=400 AND level>=',
    position: 23,
    expected: "a value after '>='",
    message: "Filter syntax error at position 23: expected a value after '>=' but found end of input",
  },
  {
    filter: 'event>sip',
    position: 5,
    expected: "'=' after 'event'",
    found: "'>'",
    message: /^Filter syntax error at position 5: Only params and level support inequality comparisons/,
  },
  { filter: 'x=1 AND category<=x', position: 16, expected: "'=' after 'category'", message: /Only params and level support inequality comparisons/ },
  {
    filter: 'level=loud',
    position: 6,
    expected: 'a level name (one of trace, debug, info, notice, warning, error, critical; or dbg, informational, warn, err, crit, fatal, alert, emerg, emergency)',
    found: "'loud'",
  },
  { filter: 'level>=""', position: 7, expected: 'a level name (one of trace, debug, info, notice, warning, error, critical; or dbg, informational, warn, err, crit, fatal, alert, emerg, emergency)', found: 'empty string ""' },
  { filter: '(event=a', position: 8, expected: "AND, OR or ')'", found: 'end of input', message: /the '\(' at position 0 is not closed/ },
  { filter: 'event=a)', position: 7, expected: 'AND, OR or end of input', found: "')'" },
  { filter: 'event=a category=b', position: 8, expected: 'AND, OR or end of input', found: "'category'" },
  { filter: 'status>abc', position: 7, expected: "a number after '>'", found: "'abc'" },
  { filter: 'status<"1*"', position: 7, expected: "a number after '<'" },
  { filter: 'user="abc', position: 5, expected: "a closing '\"' for the string started here", found: 'end of input' },
  { filter: 'user="a\\nb"', position: 7, expected: 'one of \\\\, \\", \\* or \\? after a backslash', found: "'\\n'" },
  { filter: 'user!=x', position: 4, expected: 'a key, value, operator, parenthesis or AND/OR/NOT', found: "character '!'", message: /negate with NOT/ },
  { filter: 'user=a&b', position: 6, expected: 'a key, value, operator, parenthesis or AND/OR/NOT', found: "character '&'" },
  { filter: 'event=AND', position: 6, expected: "a value after '='", found: "keyword 'AND'", message: /quote it \("AND"\)/ },
  { filter: 'and event=a', position: 0, expected: "a key, NOT or '('", found: "keyword 'and'" },
  { filter: 'event=a AND', position: 11, expected: "a key, NOT or '('", found: 'end of input' },
  { filter: 'event=a OR NOT', position: 14, expected: "a key, NOT or '('", found: 'end of input' },
  { filter: 'event', position: 5, expected: "an operator (=, <, <=, >, >=) after 'event'", found: 'end of input' },
  { filter: 'event sip', position: 6, expected: "an operator (=, <, <=, >, >=) after 'event'", found: "'sip'" },
  { filter: 'x==1', position: 2, expected: "a value after '='", found: "'='" },
  { filter: '""=x', position: 0, expected: 'a non-empty key', found: 'empty string ""' },
  { filter: '=x', position: 0, expected: "a key, NOT or '('", found: "'='" },
  { filter: '()', position: 1, expected: "a key, NOT or '('", found: "')'" },
  {
    filter: `${'('.repeat(MAX_FILTER_NESTING + 1)}a=1${')'.repeat(MAX_FILTER_NESTING + 1)}`,
    position: MAX_FILTER_NESTING,
    expected: `at most ${MAX_FILTER_NESTING} nested '(' or NOT`,
  },
  {
    filter: `${'NOT '.repeat(MAX_FILTER_NESTING + 1)}a=1`,
    position: MAX_FILTER_NESTING * 4,
    expected: `at most ${MAX_FILTER_NESTING} nested '(' or NOT`,
  },
];

describe('filter syntax errors', () => {
  assert.ok(ERROR_CASES.length >= 12);
  for (const [index, testCase] of ERROR_CASES.entries()) {
    it(`#${index} ${JSON.stringify(testCase.filter.slice(0, 40))} fails at ${testCase.position}`, () => {
      assert.throws(() => compileFilter(testCase.filter), (error: unknown) => {
        assert.ok(error instanceof FilterSyntaxError);
        assert.ok(error instanceof Error);
        assert.equal(error.code, 'HERALD_ERR_FILTER_SYNTAX');
        assert.equal(error.name, 'FilterSyntaxError');
        assert.equal(error.position, testCase.position);
        assert.equal(error.expected, testCase.expected);
        if (testCase.found !== undefined) assert.equal(error.found, testCase.found);
        assert.ok(error.message.startsWith(`Filter syntax error at position ${testCase.position}: `), error.message);
        if (typeof testCase.message === 'string') assert.equal(error.message, testCase.message);
        else if (testCase.message !== undefined) assert.match(error.message, testCase.message);
        return true;
      });
    });
  }

  it('names every valid level in the unknown-level message', () => {
    assert.throws(() => parseFilter('level>=loud'), (error: unknown) => {
      assert.ok(error instanceof FilterSyntaxError);
      for (const level of FILTER_LEVELS) assert.ok(error.message.includes(level), level);
      return true;
    });
  });

  it('reports the leftmost problem first', () => {
    assert.throws(() => parseFilter('a>x AND "unterminated'), { position: 2 });
  });

  it('allows the maximum nesting depth itself', () => {
    const depth = MAX_FILTER_NESTING;
    assert.equal(matches(`${'('.repeat(depth)}category=sip${')'.repeat(depth)}`), true);
    assert.equal(matches(`${'NOT '.repeat(depth)}category=sip`), true);
  });
});
