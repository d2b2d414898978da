import type pg from 'pg';
import { toError } from '../../errors/herald-error.js';

/**
 * Runs `work` on a client checked out of `pool` and hands the client back.
 * A server that dies while a client is checked out makes that client emit 'error'
 * besides rejecting the query: unheard, that event would crash the process (found
 * by the event store's outage test), so it is heard here for every checkout. A
 * client whose work failed is discarded rather than handed to the next caller.
 */
export async function withPgClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    broken = toError(error);
    throw error;
  } finally {
    client.off('error', ignore);
    client.release(broken);
  }
}

/** Runs `work` between BEGIN and COMMIT on `client`; on any failure rolls back and rethrows. */
export async function inPgTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
