import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing/test-app.js';

describe('health when the database is down', () => {
  it('answers 503 with status down', async () => {
    const t = await createTestApp();
    const up = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(up.statusCode).toBe(200);
    await t.database.close();
    const down = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'down', database: { ok: false } });
    await t.app.close();
    await t.database.destroy().catch(() => undefined);
  });
});
