/**
 * Herald's event filter language: Dovecot-style `key op value` terms joined by
 * NOT/AND/OR (in that order of precedence). See docs/filters.md.
 */
export type {
  AndNode, CategoryNode, ComparisonOp, EventNameNode, FilterNode, LevelNode, NotNode, OrNode, ParamNode, ValueLiteral,
} from './ast.js';
export { compileFilter, Verdict } from './compile.js';
export type { CompiledFilter, FilterableEvent, StaticEventView } from './compile.js';
export { FilterSyntaxError } from './errors.js';
export type { FilterSyntaxErrorDetails } from './errors.js';
export { formatFilter } from './format.js';
export { FILTER_LEVELS } from './levels.js';
export type { FilterLevel } from './levels.js';
export { MAX_FILTER_NESTING, parseFilter } from './parser.js';
