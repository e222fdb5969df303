import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiProvider } from '../../../core/ai/index.js';
import type { ModuleDescriptor } from '../../../core/http/types.js';
import { createTestApp, type TestApp } from '../../../core/testing/test-app.js';
import { createScenario } from '../planning/scenario-service.js';
import type { Channel } from '../schema.js';
import { addDays } from '../shared/dates.js';
import { draftCreativeBrief } from './creative-brief-service.js';
import { runPostMortem } from './post-mortem-service.js';
import { registerLearningRoutes } from './routes.js';
import { dailySales, insertSales, serviceContextFor } from './test-fixtures.js';

const learningRoutes: ModuleDescriptor = { key: 'promotions', name: 'Promotions', description: 'test', ready: true, registerRoutes: registerLearningRoutes };

let t: TestApp;
type Who = 'admin' | 'manager' | 'staff' | 'viewer' | 'otherStaff' | 'otherManager';
let headers: Record<Who, Record<string, string>>;
let deep: string; // TV online 25% off
let mild: string; // TV online 15% off
let other: string; // organization B's scenario
const start = '2026-03-09';
const end = '2026-03-15';

const history = (from: string, to: string, tvMultiplier = (_d: string) => 1) =>
  (['online', 'offline'] as Channel[]).flatMap((channel) => [
    ...dailySales('TV', channel, from, to, 1000, { multiplier: channel === 'online' ? tvMultiplier : undefined }),
    ...dailySales('Audio', channel, from, to, 400),
  ]);

/** Sessions expire as the test clock moves on: sign everyone in again. */
async function signIn() {
  headers = {
    admin: (await t.login(t.orgA.emails.admin)).headers,
    manager: (await t.login(t.orgA.emails.manager)).headers,
    staff: (await t.login(t.orgA.emails.staff)).headers,
    viewer: (await t.login(t.orgA.emails.viewer)).headers,
    otherStaff: (await t.login(t.orgB.emails.staff)).headers,
    otherManager: (await t.login(t.orgB.emails.manager)).headers,
  };
}

beforeAll(async () => {
  t = await createTestApp({ modules: [learningRoutes] });
  const a = serviceContextFor(t.database, t.orgA, t.clock);
  const b = serviceContextFor(t.database, t.orgB, t.clock);
  await insertSales(a.db, t.orgA.id, history('2026-01-05', '2026-03-01'));
  await insertSales(b.db, t.orgB.id, history('2026-01-05', '2026-03-01'));
  const mechanic = (discount: number) => [{ department: 'TV', channel: 'online' as Channel, discount_pct: discount, segments: ['ALL'] }];
  deep = (await createScenario(a, { label: 'Deep TV', dateRangeStart: start, dateRangeEnd: end, scenarioType: 'aggressive', mechanics: mechanic(25) })).id;
  mild = (await createScenario(a, { label: 'Mild TV', dateRangeStart: start, dateRangeEnd: end, scenarioType: 'conservative', mechanics: mechanic(15) })).id;
  other = (await createScenario(b, { label: 'B TV', dateRangeStart: start, dateRangeEnd: end, scenarioType: 'balanced', mechanics: mechanic(20) })).id;
  await signIn();
});

afterAll(async () => {
  await t?.close();
});

const get = (url: string, as: Who = 'viewer') => t.app.inject({ method: 'GET', url, headers: headers[as] });
const send = (method: 'POST' | 'PUT', url: string, payload: unknown, as: Who = 'staff') =>
  t.app.inject({ method, url, payload: payload as Record<string, unknown>, headers: headers[as] });
const api = (path: string) => `/api/promotions${path}`;

describe('validation settings', () => {
  it('reads the defaults, lets a manager change a subset, refuses bad values and other roles', async () => {
    const defaults = await get(api('/settings/validation'));
    expect(defaults.statusCode).toBe(200);
    expect(defaults.json()).toMatchObject({ marginFloorPct: 18, maxDiscountPct: 40 });
    expect((await send('PUT', api('/settings/validation'), { marginFloorPct: 25 }, 'staff')).statusCode).toBe(403);
    const bad = await send('PUT', api('/settings/validation'), { marginFloorPct: 150 }, 'manager');
    expect(bad.statusCode).toBe(400);
    expect((await send('PUT', api('/settings/validation'), { marginFloor: 20 }, 'manager')).statusCode).toBe(400);
    const put = await send('PUT', api('/settings/validation'), { marginFloorPct: 22, maxDiscountPctByDepartment: { TV: 30 } }, 'manager');
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ marginFloorPct: 22, maxDiscountPct: 40, maxDiscountPctByDepartment: { TV: 30 } });
    expect((await get(api('/settings/validation'), 'otherStaff')).json().marginFloorPct).toBe(18);
  });
});

describe('validate', () => {
  it('validates as staff, not as a viewer, and answers 404 for another organization', async () => {
    expect((await get(api(`/scenarios/${deep}/validation`))).statusCode).toBe(404);
    expect((await send('POST', api(`/scenarios/${deep}/validate`), undefined, 'viewer')).statusCode).toBe(403);
    expect((await send('POST', api(`/scenarios/${deep}/validate`), undefined, 'otherStaff')).statusCode).toBe(404);
    const res = await send('POST', api(`/scenarios/${deep}/validate`), undefined);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    // 25% off TV online: margin 30% − 11.7 pts = 18.3% < the 22% floor set above; 15% off: 30% − 6.2 = 23.8% passes.
    expect(report.status).toBe('BLOCK');
    const margin = report.issues.find((i: { type: string }) => i.type === 'margin_threshold');
    expect(margin.suggested_fix).toMatch(/^Reduce TV online discount from 25% to \d+% to keep margin ≥ 22%/);
    expect(report.thresholds.marginFloorPct).toBe(22);
    const again = await get(api(`/scenarios/${deep}/validation`));
    expect(again.json()).toMatchObject({ id: report.id, status: 'BLOCK' });
    expect((await get(api(`/scenarios/${deep}/validation`), 'otherStaff')).statusCode).toBe(404);
    expect((await send('POST', api(`/scenarios/${mild}/validate`), undefined)).json().status).not.toBe('BLOCK');
  });
});

describe('comparison', () => {
  it('compares scenarios side by side and recommends the best one that is not blocked', async () => {
    const res = await get(api(`/comparison?ids=${deep},${mild}`));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data.map((s: { label: string }) => s.label)).toEqual(['Deep TV', 'Mild TV']);
    expect(body.data[0]).toMatchObject({ validationStatus: 'BLOCK', recommended: false, vsFirst: { salesValue: 0 } });
    expect(body.recommendedScenarioId).toBe(mild);
    expect(body.reason).toMatch(/"Mild TV" has the highest EBIT delta .*1 blocked scenario left out/);
    expect(typeof body.data[1].totalMarginPct).toBe('number');
    expect((await get(api(`/comparison?ids=${deep},${other}`))).statusCode).toBe(404);
    expect((await get(api('/comparison?ids=not-a-uuid'))).statusCode).toBe(400);
  });
});

describe('post-mortem', () => {
  it('refuses before the period has sales, runs as staff afterwards, and stays inside the organization', async () => {
    const early = await send('POST', api(`/scenarios/${mild}/post-mortem`), undefined);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('TV online: 2026-03-02 – 2026-03-15'.replace('2026-03-02', start));
    const a = serviceContextFor(t.database, t.orgA, t.clock);
    await insertSales(
      a.db,
      t.orgA.id,
      history('2026-03-02', addDays(end, 14), (d) => (d >= start && d <= end ? 1.3 : 1)),
    );
    t.clock.set('2026-03-31T12:00:00Z');
    await signIn();
    expect((await send('POST', api(`/scenarios/${mild}/post-mortem`), undefined, 'viewer')).statusCode).toBe(403);
    expect((await send('POST', api(`/scenarios/${mild}/post-mortem`), undefined, 'otherStaff')).statusCode).toBe(404);
    const res = await send('POST', api(`/scenarios/${mild}/post-mortem`), undefined);
    expect(res.statusCode).toBe(200);
    const { report, coefficients } = res.json();
    expect(report.details.lines[0].observedSalesUpliftPct).toBeCloseTo(30, 5);
    expect(coefficients[0]).toMatchObject({
      department: 'TV',
      channel: 'online',
      discountBand: '10-20',
      source: 'learned',
      modelVersion: report.learnedModelVersion,
    });
    expect((await get(api(`/scenarios/${mild}/post-mortem`))).json().id).toBe(report.id);
    expect((await get(api(`/scenarios/${mild}/post-mortem`), 'otherStaff')).statusCode).toBe(404);
    const list = await get(api('/post-mortems'));
    expect(list.json()).toMatchObject({ page: { total: 1 }, data: [{ id: report.id, scenarioLabel: 'Mild TV' }] });
    expect((await get(api('/post-mortems?q=mild'))).json().page.total).toBe(1);
    expect((await get(api('/post-mortems?q=deep'))).json().page.total).toBe(0);
    expect((await get(api('/post-mortems'), 'otherStaff')).json().page.total).toBe(0);
  });
});

describe('creative briefs', () => {
  it('drafts offline, edits, validates the edit, and hides other organizations’ briefs', async () => {
    expect((await get(api(`/scenarios/${deep}/brief`))).statusCode).toBe(404);
    expect((await send('POST', api(`/scenarios/${deep}/brief`), undefined, 'viewer')).statusCode).toBe(403);
    expect((await send('POST', api(`/scenarios/${deep}/brief`), undefined, 'otherStaff')).statusCode).toBe(404);
    const drafted = await send('POST', api(`/scenarios/${deep}/brief`), undefined);
    expect(drafted.statusCode).toBe(200);
    const row = drafted.json();
    expect(row.generatedBy).toBe('offline');
    expect(row.brief).toMatchObject({
      tone: 'energetic',
      target_audience: { segments: ['ALL'] },
      key_messages: expect.arrayContaining(['Up to 25% off TV']),
      mandatory_elements: { legal: expect.arrayContaining(['Terms and conditions apply.', 'Offer valid Mar 9 – Mar 15 (online).']) },
    });
    expect(row.assets.map((a: { type: string }) => a.type)).toEqual(['homepage_hero', 'email', 'social', 'in_store_poster']);
    expect(row.assets[0]).toMatchObject({ headline: 'TV sale', cta: 'Shop now', product_focus: ['TV'] });

    const edited = { brief: { ...row.brief, tone: 'playful' }, assets: [{ ...row.assets[0], headline: 'Big screens, small prices' }] };
    expect((await send('PUT', api(`/scenarios/${deep}/brief`), edited, 'viewer')).statusCode).toBe(403);
    expect((await send('PUT', api(`/scenarios/${deep}/brief`), { ...edited, brief: { ...edited.brief, key_messages: [] } })).statusCode).toBe(400);
    const put = await send('PUT', api(`/scenarios/${deep}/brief`), edited);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: row.id, generatedBy: 'edited', brief: { tone: 'playful' }, assets: [{ headline: 'Big screens, small prices' }] });
    expect((await get(api(`/scenarios/${deep}/brief`))).json().generatedBy).toBe('edited');
    expect((await get(api(`/scenarios/${deep}/brief`), 'otherStaff')).statusCode).toBe(404);
    expect((await send('PUT', api(`/scenarios/${deep}/brief`), edited, 'otherStaff')).statusCode).toBe(404);
  });

  it('brand settings feed the mandatory elements', async () => {
    expect((await send('PUT', api('/settings/brand'), { brandName: 'MediaMarkt' }, 'staff')).statusCode).toBe(403);
    const put = await send('PUT', api('/settings/brand'), { brandName: 'MediaMarkt', legal: ['Terms and conditions apply.'] }, 'manager');
    expect(put.statusCode).toBe(200);
    expect((await get(api('/settings/brand'), 'otherStaff')).json().brandName).toBeNull();
    const drafted = (await send('POST', api(`/scenarios/${mild}/brief`), undefined)).json();
    expect(drafted.brief.mandatory_elements.brand[0]).toBe('MediaMarkt: Logo on every asset');
    expect(drafted.brief.mandatory_elements.legal).toEqual(['Terms and conditions apply.', 'Offer valid Mar 9 – Mar 15 (online).']);
    expect(drafted.brief.tone).toBe('reassuring');
  });
});

describe('language-model wording (fake provider, no network)', () => {
  const fakeAi = (reply: string): AiProvider => ({
    name: 'openai',
    model: 'fake-model',
    generateText: async () => ({ text: reply, provider: 'openai', model: 'fake-model', producedWithoutModel: false, latencyMs: 1 }),
    embed: async () => {
      throw new Error('not used');
    },
  });

  it('a model may reword the brief but not its legal and brand elements; a bad answer falls back to the template', async () => {
    const ctx = serviceContextFor(t.database, t.orgA, t.clock);
    const offline = await draftCreativeBrief(ctx, mild);
    const reworded = {
      brief: { ...offline.brief, key_messages: ['Screens for less'], mandatory_elements: { legal: [], brand: [] } },
      assets: [{ ...(offline.assets ?? [])[0], headline: 'Screens for less' }],
    };
    const byModel = await draftCreativeBrief(ctx, mild, { ai: fakeAi(`Here you go: ${JSON.stringify(reworded)}`) });
    expect(byModel.generatedBy).toBe('openai:fake-model');
    expect(byModel.brief.key_messages).toEqual(['Screens for less']);
    expect(byModel.brief.mandatory_elements).toEqual(offline.brief.mandatory_elements);
    const fallback = await draftCreativeBrief(ctx, mild, { ai: fakeAi('I cannot help with that.') });
    expect(fallback.generatedBy).toBe('offline');
    expect(fallback.brief).toEqual(offline.brief);
  });

  it('a model may phrase the post-mortem summary, marked as such, next to the deterministic insights', async () => {
    const ctx = serviceContextFor(t.database, t.orgA, t.clock);
    const { report } = await runPostMortem(ctx, mild, { ai: fakeAi('TV online beat its forecast by a wide margin.') });
    expect(report.details).toMatchObject({
      generated_by: 'ai',
      narrative: { text: 'TV online beat its forecast by a wide margin.', phrased_by_ai: true, model: 'fake-model' },
    });
    expect(report.insights![0]).toMatch(/^Actual sales of the promoted lines were/);
  });
});
