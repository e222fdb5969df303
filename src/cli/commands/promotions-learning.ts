import { AppError } from '../../core/errors.js';
import type { Db } from '../../core/db/connection.js';
import { formatPostMortem, runPostMortem } from '../../modules/promotions/learning/post-mortem-service.js';
import { formatValidationReport, validateScenario } from '../../modules/promotions/learning/validation-service.js';
import { getScenario } from '../../modules/promotions/planning/scenario-service.js';
import type { Operation, OperationEnv } from '../operation.js';
import { cliServiceContext } from './user.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function scenarioContext(env: OperationEnv, args: Record<string, unknown>) {
  if (!args.org) throw new AppError('VALIDATION_FAILED', 'Name the organization with --org SLUG (see `retailops db info`).');
  const scenario = String(args.scenario ?? '');
  if (!uuidPattern.test(scenario)) throw new AppError('VALIDATION_FAILED', `--scenario must be a scenario id (UUID), got "${scenario}".`);
  const ctx = await cliServiceContext(env, env.database.db as Db, String(args.org));
  return { ctx, scenario };
}

/** `retailops promotions validate --org --scenario`: validates and prints status, score, issues and fixes. */
export const promotionsValidateOperation: Operation = async (env, args) => {
  const { ctx, scenario } = await scenarioContext(env, args);
  const report = await validateScenario(ctx, scenario);
  const { label } = await getScenario(ctx, scenario);
  return { report, text: formatValidationReport(label, report) };
};

/** `retailops promotions post-mortem --org --scenario`: actual vs forecast, dip, cannibalisation, learned version. */
export const promotionsPostMortemOperation: Operation = async (env, args) => {
  const { ctx, scenario } = await scenarioContext(env, args);
  const result = await runPostMortem(ctx, scenario, { ai: env.ai });
  const { label } = await getScenario(ctx, scenario);
  return { ...result, text: formatPostMortem(label, result) };
};
