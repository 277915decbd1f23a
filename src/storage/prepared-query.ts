import { type Compilable, createQueryId, type Kysely, type QueryResult } from 'kysely';

/** Stands for a named argument while a prepared query is compiled. */
class Argument {
  constructor(readonly name: string) {}
}

type Slot = { argument: string } | { value: unknown };

/** Runs a prepared query with the values of its arguments. */
export type PreparedQuery<A, R> = (args: A) => Promise<QueryResult<R>>;

/**
 * A query built and compiled once, then run with new arguments. `build` receives stand-ins for the
 * arguments (use them only as values: in `where`, `values`, `set`, `limit`…, never to decide the
 * shape of the query) and returns the Kysely query; its SQL and the place of each argument among
 * the parameters are kept. Each run binds the arguments where the stand-ins were and executes the
 * same SQL through `db` (its plugins and connection handling included), so the result is what
 * the query built anew would give: only the building and compiling are saved, which cost as much
 * CPU as SQLite running a simple statement. Like a query built on `db`, it runs outside any
 * transaction: inside `db.transaction()`, build the query on the transaction instead (on SQLite a
 * query on `db` would wait for the connection the transaction holds).
 */
export function prepareQuery<DB, A extends Record<string, unknown>, R>(
  db: Kysely<DB>,
  build: (args: A) => Compilable<R>,
): PreparedQuery<A, R> {
  const names = new Set<string>();
  const standIns = new Proxy({} as A, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      names.add(name);
      return new Argument(name);
    },
  });
  const compiled = build(standIns).compile();
  const slots: Slot[] = compiled.parameters.map((value) =>
    value instanceof Argument ? { argument: value.name } : { value },
  );
  for (const name of names) {
    if (!slots.some((slot) => 'argument' in slot && slot.argument === name))
      throw new Error(`prepared query: argument ${name} is not a parameter of ${compiled.sql}`);
  }
  const { sql, query } = compiled;
  return async (args) => {
    const parameters = slots.map((slot) => {
      if (!('argument' in slot)) return slot.value;
      const value = args[slot.argument];
      if (value === undefined) throw new Error(`prepared query: argument ${slot.argument} missing`);
      return value;
    });
    return db.executeQuery<R>({ sql, query, parameters, queryId: createQueryId() });
  };
}
