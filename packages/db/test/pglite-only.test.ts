import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPgliteTestDb } from '../testing/index.ts';
import { PgliteDb } from '../src/index.ts';
import { isMeridianError } from '@meridian/core';

describe('PGlite adapter', () => {
  it('refuses to open a data directory another live owner holds', async () => {
    const t = await createPgliteTestDb();
    try {
      await assert.rejects(PgliteDb.open({ dataDir: t.location }), (error: unknown) => isMeridianError(error) && error.code === 'DATABASE_LOCKED');
    } finally {
      await t.drop();
    }
  });

  it('keeps the event loop free while the database works', async () => {
    const t = await createPgliteTestDb();
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      await t.db.query('SELECT count(*) FROM generate_series(1, 3000000)');
      clearInterval(timer);
      assert.ok(ticks > 3, `the event loop ticked ${ticks} times during the query`);
    } finally {
      await t.drop();
    }
  });
});
