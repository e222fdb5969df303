import { expect } from 'vitest';
import type { HierarchyFixture, Persona } from '../testing/hierarchy-fixture.js';
import type { VisibilityCase } from '../testing/visibility-case.js';
import { importMetricsFile, rollbackImport } from './import-service.js';
import { csv, personaContext, uploadAs } from './test-support.js';

const dataDir = '/tmp/retailops-test-data';

/** An import made through the service as a persona, on days nobody else touches (each case its own). */
async function importAs(f: HierarchyFixture, who: Persona, date: string, agents: Persona[] = ['agent1']) {
  const text = csv(['Employee ID,Date,AHT', ...agents.map((a) => `E-${a},${date},${200 + agents.indexOf(a)}`)]);
  const result = await importMetricsFile(await personaContext(f, who), { file: { name: `vis-${date}.csv`, bytes: new TextEncoder().encode(text) }, dataDir });
  expect(result.status).toBe('SUCCESS');
  return result;
}

async function undo(f: HierarchyFixture, who: Persona, id: string) {
  await rollbackImport(await personaContext(f, who), id);
}

export const importsVisibilityCases: VisibilityCase[] = [
  {
    route: 'POST /api/coaching/imports/preview',
    proves: 'admins and managers preview a file (shape, mapping, rows); team leaders, agents and org B’s leader get 403',
    async check(f) {
      const file = {
        name: 'calls.csv',
        bytes: csv(['Call Id,Agent,Date,Answered (Y/N),Resolved,AvgTalkDuration', 'C1,Alice Agent,2025-03-01,Y,Y,0.002', 'C2,Alice Agent,2025-03-01,N,N,']),
      };
      for (const who of ['admin', 'manager1'] as const) {
        const response = await uploadAs(f, who, '/api/coaching/imports/preview', file);
        expect(response.statusCode, who).toBe(200);
        expect(response.json()).toMatchObject({
          shape: 'per-call',
          rowCount: 2,
          agentDays: 1,
          mapping: { call_id: { letter: 'A' }, agent: { header: 'Agent' } },
        });
      }
      for (const who of ['leader1', 'agent1', 'leaderB'] as const) {
        expect((await uploadAs(f, who, '/api/coaching/imports/preview', file)).statusCode, who).toBe(403);
      }
    },
  },
  {
    route: 'POST /api/coaching/imports',
    proves: 'a manager imports for their own agents only (another branch’s agent is a row error naming them); leaders and agents get 403',
    async check(f) {
      const file = { name: 'mixed.csv', bytes: csv(['Employee ID,Date,AHT,CSAT', 'E-agent1,2025-04-01,250,4.5', 'E-agent3,2025-04-01,260,4.1']) };
      for (const who of ['leader1', 'agent1', 'leaderB'] as const) {
        expect((await uploadAs(f, who, '/api/coaching/imports', file, { partialSuccess: true })).statusCode, who).toBe(403);
      }
      const response = await uploadAs(f, 'manager1', '/api/coaching/imports', file, { partialSuccess: true });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ status: 'PARTIAL_SUCCESS', successfulRows: 1, failedRows: 1, importedBy: { id: f.people.manager1.id } });
      expect(body.affected.agentIds).toEqual([f.people.agent1.id]);
      expect(body.errorDetails).toEqual([
        expect.objectContaining({ row: 3, message: expect.stringContaining('Carla Agent (E-agent3) is not one of your agents') }),
      ]);
      const again = await uploadAs(f, 'manager1', '/api/coaching/imports', file, { partialSuccess: true });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain(body.id);
      await undo(f, 'manager1', body.id);
    },
  },
  {
    route: 'GET /api/coaching/imports',
    proves: 'admins list every import, a manager only their own; leaders and agents get 403',
    async check(f) {
      const mine = await importAs(f, 'manager1', '2025-05-01');
      const admins = await importAs(f, 'admin', '2025-05-02', ['agent3']);
      const ids = async (who: Persona) => {
        const response = await f.as(who).get('/api/coaching/imports?limit=200');
        expect(response.statusCode, who).toBe(200);
        return (response.json().items as { id: string }[]).map((i) => i.id);
      };
      expect(await ids('admin')).toEqual(expect.arrayContaining([mine.id, admins.id]));
      const managerSees = await ids('manager1');
      expect(managerSees).toContain(mine.id);
      expect(managerSees).not.toContain(admins.id);
      const other = await ids('manager2');
      expect(other).not.toContain(mine.id);
      expect(other).not.toContain(admins.id);
      for (const who of ['leader1', 'agent1', 'leaderB'] as const) expect((await f.as(who).get('/api/coaching/imports')).statusCode, who).toBe(403);
      await undo(f, 'admin', admins.id);
      await undo(f, 'manager1', mine.id);
    },
  },
  {
    route: 'GET /api/coaching/imports/:id',
    proves: 'the importer and admins read an import; another manager and org B get 404; a team leader 403',
    async check(f) {
      const mine = await importAs(f, 'manager1', '2025-06-01');
      const url = `/api/coaching/imports/${mine.id}`;
      for (const who of ['admin', 'manager1'] as const) {
        const response = await f.as(who).get(url);
        expect(response.statusCode, who).toBe(200);
        expect(response.json()).toMatchObject({ id: mine.id, rowChanges: { inserted: 1, agents: 1 }, rollbackBlockedBy: null });
      }
      for (const who of ['manager2', 'leaderB'] as const) expect((await f.as(who).get(url)).statusCode, who).toBe(404);
      for (const who of ['leader1', 'agent1'] as const) expect((await f.as(who).get(url)).statusCode, who).toBe(403);
      await undo(f, 'manager1', mine.id);
    },
  },
  {
    route: 'POST /api/coaching/imports/:id/rollback',
    proves: 'the importer rolls back their import; another manager and org B get 404, a team leader 403; twice is 409',
    async check(f) {
      const mine = await importAs(f, 'manager1', '2025-07-01');
      const url = `/api/coaching/imports/${mine.id}/rollback`;
      for (const who of ['manager2', 'leaderB'] as const) expect((await f.as(who).post(url)).statusCode, who).toBe(404);
      for (const who of ['leader1', 'agent1'] as const) expect((await f.as(who).post(url)).statusCode, who).toBe(403);
      const response = await f.as('manager1').post(url);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'ROLLED_BACK', deleted: 1, restored: 0, rollbackExecutedBy: { id: f.people.manager1.id } });
      expect((await f.as('admin').post(url)).statusCode).toBe(409);
    },
  },
];
