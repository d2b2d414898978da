import { HeraldError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';

/*
 * A broker subject / topic / routing key with placeholders, rendered per event:
 *   herald.{category}.{type}   →   herald.StreamEvent.StreamCreated
 * {type} is the event name, {category} its category, {source} its sourceId, {level} its level.
 * Each broker says which characters a rendered piece may not carry (NATS: `.`, `*`, `>`,
 * spaces; MQTT: `/`, `+`, `#`), and they are replaced with `_`, so a sourceId such as
 * `#default#app/stream` cannot add levels or wildcards to the subject.
 */

const FIELDS = ['type', 'category', 'source', 'level'] as const;
type Field = (typeof FIELDS)[number];
const PLACEHOLDER = /\{([^{}]*)\}/g;

function fieldOf(event: HeraldEvent, field: Field): string {
  switch (field) {
    case 'type': return event.name;
    case 'category': return event.category;
    case 'source': return event.sourceId;
    case 'level': return event.level;
  }
}

/**
 * Compiles `template` once. `unsafe` matches the characters a rendered value may not
 * contain (global flag). Throws HERALD_ERR_BAD_SOCKET naming an unknown placeholder.
 */
export function compileTopicTemplate(socket: string, template: string, unsafe: RegExp): (event: HeraldEvent) => string {
  const pieces: Array<string | Field> = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (!(FIELDS as readonly string[]).includes(name)) {
      throw new HeraldError('HERALD_ERR_BAD_SOCKET', `${socket}: unknown placeholder {${name}} (known: ${FIELDS.map((f) => `{${f}}`).join(', ')})`);
    }
    pieces.push(template.slice(last, match.index), name as Field);
    last = match.index + match[0].length;
  }
  pieces.push(template.slice(last));
  if (pieces.length === 1) return () => template;
  return (event) => {
    let out = '';
    for (let i = 0; i < pieces.length; i++) {
      // Even indexes are literal text, odd ones fields.
      out += i % 2 === 0 ? pieces[i] : (fieldOf(event, pieces[i] as Field).replace(unsafe, '_') || '_');
    }
    return out;
  };
}
