import { AppError } from '../core/errors.js';
import type { EmbeddedLockInfo } from '../core/db/embedded-lock.js';
import type { ProgressEvent } from '../core/demo/demo-steps.js';
import type { Operation } from './operation.js';
import { cliActor, type Runtime } from './runtime.js';
import { dbInfoOperation } from './commands/db-info.js';
import { coachingImportOperation, coachingImportsListOperation, coachingRollbackOperation } from './commands/coaching-import.js';
import { demoOperation } from './commands/demo.js';
import { migrateOperation } from './commands/migrate.js';
import { orgCreateOperation } from './commands/org.js';
import { tokenCreateOperation } from './commands/token.js';
import { userCreateOperation, userResetPasswordOperation } from './commands/user.js';
import { promotionsBacktestOperation } from './commands/promotions-forecast.js';
import { promotionsImportOperation } from './commands/promotions-import.js';
import { promotionsPostMortemOperation, promotionsValidateOperation } from './commands/promotions-learning.js';
import { promotionsOpportunitiesOperation } from './commands/promotions-planning.js';
import { storeHealthBacktestOperation, storeHealthEvaluateOperation, storeHealthImportOperation, storeHealthStatusOperation } from './commands/store-health.js';

/** Commands that may run inside a server holding the embedded database. */
export const bridgeableOperations: Record<string, Operation> = {
  migrate: migrateOperation,
  demo: demoOperation,
  'user.create': userCreateOperation,
  'user.reset-password': userResetPasswordOperation,
  'token.create': tokenCreateOperation,
  'org.create': orgCreateOperation,
  'db.info': dbInfoOperation,
  'store-health.import': storeHealthImportOperation,
  'store-health.evaluate': storeHealthEvaluateOperation,
  'store-health.status': storeHealthStatusOperation,
  'store-health.backtest': storeHealthBacktestOperation,
  'promotions.import': promotionsImportOperation,
  'promotions.backtest': promotionsBacktestOperation,
  'promotions.opportunities': promotionsOpportunitiesOperation,
  'promotions.validate': promotionsValidateOperation,
  'promotions.post-mortem': promotionsPostMortemOperation,
  'coaching.import': coachingImportOperation,
  'coaching.imports': coachingImportsListOperation,
  'coaching.rollback': coachingRollbackOperation,
};

export async function runBridgedOperation(runtime: Runtime, command: string, args: Record<string, unknown>, onProgress: (event: ProgressEvent) => void) {
  const operation = bridgeableOperations[command];
  if (!operation) throw new AppError('UNKNOWN_COMMAND', `The server cannot run "${command}" for the CLI.`, { status: 400 });
  return operation({ ...runtime, actor: cliActor(true), progress: onProgress }, args);
}

/** Sends a command to the running server over loopback and streams its progress back. */
export async function callServerBridge(
  holder: EmbeddedLockInfo,
  command: string,
  args: Record<string, unknown>,
  onProgress: (event: ProgressEvent) => void,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${holder.port}/api/internal/cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-retailops-local-token': holder.bridgeToken! },
      body: JSON.stringify({ command, args }),
    });
  } catch (error) {
    throw new AppError(
      'BRIDGE_UNREACHABLE',
      `The server (pid ${holder.pid}) holds the embedded database but does not answer on port ${holder.port}: ${(error as Error).message}. Wait for it to finish starting, or stop it.`,
      { status: 503 },
    );
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    throw new AppError('BRIDGE_FAILED', `The server refused the command (${response.status}): ${text.slice(0, 300)}`, { status: response.status });
  }
  const decoder = new TextDecoder();
  let buffered = '';
  let outcome: { type: string; result?: unknown; error?: { code: string; message: string; details?: unknown } } | null = null;
  for await (const chunk of response.body) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      if (line.type === 'progress') onProgress(line.event);
      else outcome = line;
    }
  }
  if (!outcome) throw new AppError('BRIDGE_FAILED', 'The server closed the connection before answering.', { status: 502 });
  if (outcome.type === 'error') throw new AppError(outcome.error!.code, outcome.error!.message, { details: outcome.error!.details });
  return outcome.result;
}
