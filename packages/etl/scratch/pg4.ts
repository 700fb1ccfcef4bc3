import { createTestDb } from '@meridian/db/testing';
const t = await createTestDb('pglite');
try {
  await t.db.execScript('CREATE TABLE public.x (a int); INSERT INTO public.x VALUES (1)');
  const r = await t.db.query('WITH u AS (UPDATE public.x SET a = 2 RETURNING a) SELECT a FROM u');
  console.log('cte select', r.rowCount, r.rows);
  const r2 = await t.db.query('SELECT 1 AS one');
  console.log('plain select', r2.rowCount, r2.rows);
} finally { await t.drop(); }
