import type { FastifyReply, FastifyRequest } from 'fastify';
import { rejected, type ParseOutcome, type Rejection } from '../ingest/outcome.js';
import { parseNdjson } from './parse-ndjson.js';
import type { HttpDoor } from './server.js';

/** Refusals listed in a response; the counts are always complete. */
const LISTED_ERRORS = 100;
/** Lines between two looks at the bus while a batch is raised. */
const BUSY_CHECK_LINES = 256;

export interface IngestResponse {
  readonly accepted: number;
  readonly rejected: number;
  /** The first refusals, each with its line, reason and message. Lines refused as `busy` may be sent again. */
  readonly errors: readonly Rejection[];
}

/** Raises the accepted lines; once the bus fills up mid-batch, the rest are refused as busy (the sender may resend them). */
function raiseAll(door: HttpDoor, outcomes: readonly ParseOutcome[]): ParseOutcome[] {
  const out: ParseOutcome[] = [];
  let busy = false;
  for (let i = 0; i < outcomes.length; i++) {
    let outcome = outcomes[i];
    if (outcome.ok && i % BUSY_CHECK_LINES === BUSY_CHECK_LINES - 1) busy ||= door.intake.busy();
    if (outcome.ok && busy) outcome = rejected('busy', 'The bus filled up during this batch; send this line again', { line: i + 1 });
    door.intake.take(outcome);
    out.push(outcome);
  }
  return out;
}

/** `POST /ingest`: one Herald record or NDJSON; every line stands on its own. */
export function ingestRecords(door: HttpDoor, maxLineBytes: number, retryAfterSeconds: number) {
  return async (request: FastifyRequest<{ Body: Buffer }>, reply: FastifyReply) => {
    door.intake.stats.received(request.body.length);
    const outcomes = raiseAll(door, parseNdjson(request.body.toString('utf8'), door.ctx, { maxLineBytes }));
    let accepted = 0;
    let busy = 0;
    const errors: Rejection[] = [];
    for (const outcome of outcomes) {
      if (outcome.ok) accepted++;
      else {
        if (outcome.rejection.reason === 'busy') busy++;
        if (errors.length < LISTED_ERRORS) errors.push(outcome.rejection);
      }
    }
    const response: IngestResponse = { accepted, rejected: outcomes.length - accepted, errors };
    if (busy > 0) reply.header('retry-after', String(retryAfterSeconds));
    const status = accepted > 0 || outcomes.length === 0 ? 200 : busy > 0 ? 429 : 400;
    return reply.code(status).send(response);
  };
}
