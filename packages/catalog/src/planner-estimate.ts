import type { Queryable } from '@meridian/db';

/** How many rows the planner expects `sql` to return: a fraction of a millisecond, unlike counting them. */
export async function plannerRows(db: Queryable, sql: string, params: readonly unknown[]): Promise<number> {
  const { rows } = await db.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  return rows[0]!['QUERY PLAN'][0].Plan['Plan Rows'];
}
