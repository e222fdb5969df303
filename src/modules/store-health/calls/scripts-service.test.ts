import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { createTestDatabase, type TestDatabase } from '../../../core/testing/test-database.js';
import { createEscalationFixture, insertAlert } from '../escalation/test-fixtures.js';
import { createCallScript, ensureDefaultCallScripts, listCallScripts, placeholdersOf, previewCallScript, renderCallScript } from './scripts-service.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.destroy());

describe('call scripts', () => {
  it('creates the defaults once, one per type', async () => {
    const f = await createEscalationFixture(database.db);
    expect((await ensureDefaultCallScripts(f.ctx)).map((s) => s.scriptType).sort()).toEqual(['green', 'red', 'yellow']);
    expect(await ensureDefaultCallScripts(f.ctx)).toEqual([]);
    const { data } = await listCallScripts(f.ctx);
    expect(data.map((g) => [g.scriptType, g.active?.version, g.history.length])).toEqual([
      ['green', 1, 1],
      ['yellow', 1, 1],
      ['red', 1, 1],
    ]);
  });

  it('a new script becomes the next version and the only active one', async () => {
    const f = await createEscalationFixture(database.db);
    const v2 = await createCallScript(f.ctx, { scriptType: 'red', scriptContent: 'Hi {{manager_name}}, {{kpi_name}} at {{store_name}} is red.' });
    const v3 = await createCallScript(f.ctx, { scriptType: 'red', scriptContent: 'Hello {{manager_name}}: {{kpi_name}} is {{value}}.' });
    expect([v2.version, v3.version]).toEqual([2, 3]);
    expect(v3.variables).toEqual({
      manager_name: 'Name of the person called',
      kpi_name: 'Name of the KPI the alert is about',
      value: 'Latest value of the KPI, with its unit',
    });
    const red = (await listCallScripts(f.ctx)).data.find((g) => g.scriptType === 'red')!;
    expect(red.active?.id).toBe(v3.id);
    expect(red.history.map((s) => [s.version, s.isActive])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
  });

  it('rejects unknown variables and lists each one', async () => {
    const f = await createEscalationFixture(database.db);
    const attempt = createCallScript(f.ctx, {
      scriptType: 'yellow',
      scriptContent: 'Hi {{manager_name}}, {{store_nme}} has {{weather}} trouble.',
      variables: { manager_name: 'x', shoe_size: 'y' },
    });
    const error = await attempt.catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('VALIDATION_FAILED');
    expect((error as { message: string }).message).toContain('{{store_nme}}');
    expect((error as { details: unknown }).details).toEqual([
      { path: 'scriptContent', message: expect.stringContaining('{{weather}}') },
      { path: 'variables.shoe_size', message: expect.stringContaining('shoe_size') },
    ]);
    // Nothing was written: yellow still has only its default.
    expect((await listCallScripts(f.ctx)).data.find((g) => g.scriptType === 'yellow')!.history).toHaveLength(1);
  });

  it('renders placeholders, with "not available" for values it does not know', () => {
    expect(placeholdersOf('{{a}} {{ b }} {{a}}')).toEqual(['a', 'b']);
    expect(renderCallScript('{{store_name}}: {{ value }} vs {{baseline}}', { store_name: 'Downtown', value: '$5' })).toBe('Downtown: $5 vs not available');
  });

  it('previews a script for an alert of the organization with its KPI values and deadline in store time', async () => {
    const f = await createEscalationFixture(database.db);
    const [red] = (await ensureDefaultCallScripts(f.ctx)).filter((s) => s.scriptType === 'red');
    const alert = await insertAlert(f, { alertDate: f.at('2026-03-02', '09:00'), expiresAt: f.at('2026-03-02', '17:00') });
    f.clock.set(f.at('2026-03-02', '10:00'));
    const preview = await previewCallScript(f.ctx, red.id, { alertId: alert.id });
    expect(preview.values).toEqual({
      store_name: 'Store S001',
      kpi_name: 'Net sales',
      value: '$8,420',
      baseline: '$10,000',
      variance_pct: '-15.8%',
      manager_name: 'Sam S001',
      deadline: 'Monday 17:00',
    });
    expect(preview.text).toContain('Net sales is red: $8,420 against a baseline of $10,000');
    const sample = await previewCallScript(f.ctx, red.id, {});
    expect(sample.text).toContain('Sample Store');
  });
});
