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

export interface CompiledFilter {
  readonly source: string;
  match(event: FilterableEvent): boolean;
}

type Predicate = (event: FilterableEvent) => boolean;

/** Parses and compiles once; the returned `match` does no parsing or pattern building. */
export function compileFilter(source: string): CompiledFilter {
  const predicate = compileNode(parseFilter(source));
  return Object.freeze({ source, match: predicate });
}

function compileNode(node: FilterNode): Predicate {
  switch (node.type) {
    case 'and': return compileAll(node.operands.map(compileNode));
    case 'or': return compileAny(node.operands.map(compileNode));
    case 'not': {
      const operand = compileNode(node.operand);
      return (event) => !operand(event);
    }
    case 'event': return compileEventName(node);
    case 'category': return compileCategory(node);
    case 'level': return compileLevel(node);
    case 'param': return compileParam(node);
  }
}

function compileAll(predicates: readonly Predicate[]): Predicate {
  if (predicates.length === 2) {
    const [left, right] = predicates as [Predicate, Predicate];
    return (event) => left(event) && right(event);
  }
  return (event) => predicates.every((predicate) => predicate(event));
}

function compileAny(predicates: readonly Predicate[]): Predicate {
  if (predicates.length === 2) {
    const [left, right] = predicates as [Predicate, Predicate];
    return (event) => left(event) || right(event);
  }
  return (event) => predicates.some((predicate) => predicate(event));
}

// The typeof guards cost little and keep untyped callers (JSON, plain JS) from crashing a subscriber.
function compileEventName(node: EventNameNode): Predicate {
  const matches = compileWildcard(node.value.glob, false);
  return (event) => typeof event.name === 'string' && matches(event.name);
}

function compileCategory(node: CategoryNode): Predicate {
  const matches = compileWildcard(node.value.glob, false);
  return (event) => typeof event.category === 'string' && matches(event.category);
}

function compileLevel(node: LevelNode): Predicate {
  const wanted = filterLevelRank(node.level) ?? Number.NaN;
  const test = ORDER_TESTS[node.op];
  return (event) => {
    const rank = filterLevelRank(event.level);
    return rank !== undefined && test(rank - wanted);
  };
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
