import type { CategoryNode, EventNameNode, FilterNode, LevelNode, ParamNode } from './ast.js';
import type { FilterLevel } from './levels.js';
import { filterLevelRank } from './levels.js';
import { compileParamTest, ORDER_TESTS } from './param-match.js';
import { parseFilter } from './parser.js';
import { compileWildcard } from './wildcard.js';

/** The minimal view of an event a filter inspects. */
export interface FilterableEvent {
  readonly name: string;
  readonly category: string;
  readonly level: FilterLevel;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * What is known about every raise of one event definition before it happens:
 * its name and category, and its level unless a raise may override it.
 */
export interface StaticEventView {
  readonly name: string;
  readonly category: string;
  /** undefined: the level can differ per raise. */
  readonly level: FilterLevel | undefined;
}

/** Whether a filter matches every raise described by a StaticEventView, none, or depends on the raise. */
export const Verdict = { Never: 0, Always: 1, Depends: 2 } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export interface CompiledFilter {
  readonly source: string;
  match(event: FilterableEvent): boolean;
  /** Decided once per event definition, so the bus can skip events a filter never matches. */
  verdict(view: StaticEventView): Verdict;
  /**
   * `match` for raises that `view` describes, without the tests the view already
   * decides: for `event=imap_command_finished AND name=SELECT` and that event's
   * view, only `name=SELECT`. Same answer as `match` on every such raise.
   */
  residual(view: StaticEventView): Predicate;
}

type Predicate = (event: FilterableEvent) => boolean;
type Judge = (view: StaticEventView) => Verdict;
type Residual = (view: StaticEventView) => Predicate;

interface Compiled {
  readonly match: Predicate;
  readonly verdict: Judge;
  /** Defaults to a constant for Always/Never and `match` otherwise (see withResidual). */
  readonly residual?: Residual;
}

const ALWAYS: Predicate = () => true;
const NEVER: Predicate = () => false;

/** The residual of a node the view decides as a whole, or not at all. */
function residualOf(compiled: Compiled, view: StaticEventView): Predicate {
  if (compiled.residual !== undefined) return compiled.residual(view);
  const verdict = compiled.verdict(view);
  return verdict === Verdict.Always ? ALWAYS : verdict === Verdict.Never ? NEVER : compiled.match;
}

/** Parses and compiles once; the returned `match` does no parsing or pattern building. */
export function compileFilter(source: string): CompiledFilter {
  const compiled = compileNode(parseFilter(source));
  return Object.freeze({ source, match: compiled.match, verdict: compiled.verdict, residual: (view: StaticEventView) => residualOf(compiled, view) });
}

function compileNode(node: FilterNode): Compiled {
  switch (node.type) {
    case 'and': return compileAll(node.operands.map(compileNode));
    case 'or': return compileAny(node.operands.map(compileNode));
    case 'not': {
      const operand = compileNode(node.operand);
      return {
        match: (event) => !operand.match(event),
        verdict: (view) => negate(operand.verdict(view)),
        residual: (view) => {
          const inner = residualOf(operand, view);
          return inner === ALWAYS ? NEVER : inner === NEVER ? ALWAYS : (event) => !inner(event);
        },
      };
    }
    case 'event': return compileEventName(node);
    case 'category': return compileCategory(node);
    case 'level': return compileLevel(node);
    case 'param': return { match: compileParam(node), verdict: () => Verdict.Depends };
  }
}

function negate(verdict: Verdict): Verdict {
  if (verdict === Verdict.Depends) return verdict;
  return verdict === Verdict.Always ? Verdict.Never : Verdict.Always;
}

const judged = (yes: boolean): Verdict => (yes ? Verdict.Always : Verdict.Never);

function compileAll(operands: readonly Compiled[]): Compiled {
  const predicates = operands.map((operand) => operand.match);
  let match: Predicate;
  if (predicates.length === 2) {
    const [left, right] = predicates as [Predicate, Predicate];
    match = (event) => left(event) && right(event);
  } else match = (event) => predicates.every((predicate) => predicate(event));
  return { match, verdict: combinedVerdict(operands, Verdict.Never, Verdict.Always), residual: combinedResidual(operands, NEVER, ALWAYS, compileAll) };
}

function compileAny(operands: readonly Compiled[]): Compiled {
  const predicates = operands.map((operand) => operand.match);
  let match: Predicate;
  if (predicates.length === 2) {
    const [left, right] = predicates as [Predicate, Predicate];
    match = (event) => left(event) || right(event);
  } else match = (event) => predicates.some((predicate) => predicate(event));
  return { match, verdict: combinedVerdict(operands, Verdict.Always, Verdict.Never), residual: combinedResidual(operands, ALWAYS, NEVER, compileAny) };
}

/** AND (OR): a decisive operand decides it; operands that cannot change the answer are dropped; the rest combine as before. */
function combinedResidual(operands: readonly Compiled[], decisive: Predicate, neutral: Predicate, combine: (rest: readonly Compiled[]) => Compiled): Residual {
  return (view) => {
    const rest: Compiled[] = [];
    for (const operand of operands) {
      const residual = residualOf(operand, view);
      if (residual === decisive) return decisive;
      if (residual !== neutral) rest.push({ match: residual, verdict: () => Verdict.Depends });
    }
    if (rest.length === 0) return neutral;
    return rest.length === 1 ? rest[0].match : combine(rest).match;
  };
}

/** AND is decided by its first Never, OR by its first Always; otherwise any Depends leaves it open. */
function combinedVerdict(operands: readonly Compiled[], decisive: Verdict, otherwise: Verdict): Judge {
  return (view) => {
    let verdict = otherwise;
    for (const operand of operands) {
      const v = operand.verdict(view);
      if (v === decisive) return v;
      if (v === Verdict.Depends) verdict = v;
    }
    return verdict;
  };
}

// The typeof guards cost little and keep untyped callers (JSON, plain JS) from crashing a subscriber.
function compileEventName(node: EventNameNode): Compiled {
  const matches = compileWildcard(node.value.glob, false);
  return { match: (event) => typeof event.name === 'string' && matches(event.name), verdict: (view) => judged(matches(view.name)) };
}

function compileCategory(node: CategoryNode): Compiled {
  const matches = compileWildcard(node.value.glob, false);
  return { match: (event) => typeof event.category === 'string' && matches(event.category), verdict: (view) => judged(matches(view.category)) };
}

function compileLevel(node: LevelNode): Compiled {
  const wanted = filterLevelRank(node.level) ?? Number.NaN;
  const test = ORDER_TESTS[node.op];
  const holds = (level: unknown): boolean => {
    const rank = filterLevelRank(level);
    return rank !== undefined && test(rank - wanted);
  };
  return { match: (event) => holds(event.level), verdict: (view) => (view.level === undefined ? Verdict.Depends : judged(holds(view.level))) };
}

function compileParam(node: ParamNode): Predicate {
  const key = node.key;
  const test = compileParamTest(node.op, node.value);
  return (event) => {
    const params = event.params;
    // Object.hasOwn keeps `constructor=*` and friends from reaching Object.prototype.
    const value = params !== null && typeof params === 'object' && Object.hasOwn(params, key) ? params[key] : undefined;
    return test(value);
  };
}
