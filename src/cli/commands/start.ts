import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildApp, webDistDir } from '../../core/http/app.js';
import { migrateDatabase } from '../../core/db/migrate.js';
import { demoLoginStillValid, readDemoLogin } from '../../core/demo/core-demo.js';
import { enqueueJob, startJobWorker } from '../../core/jobs/index.js';
import { organizations } from '../../core/db/schema.js';
import { randomToken } from '../../core/secrets.js';
import { moduleCatalog } from '../../modules/catalog.js';
import { runBridgedOperation } from '../bridge.js';
import { cliActor, openRuntime, pgliteDir, version, type Runtime } from '../runtime.js';
import { loadDemoData } from './demo.js';

export interface ServeOptions {
  http: boolean;
  worker: boolean;
  command: 'start' | 'serve' | 'worker';
}

function ensureWebBuilt(runtime: Runtime) {
  if (existsSync(path.join(webDistDir, 'index.html'))) return;
  runtime.logger.info('building the web app (first start)…');
  const script = path.resolve(import.meta.dirname, '../../../bin/build-web.mjs');
  const result = spawnSync(process.execPath, [script, '--if-missing'], { stdio: 'inherit' });
  if (result.status !== 0) runtime.logger.warn('the web app could not be built; the API still runs. Run `npm run build:web` to see why.');
}

/** Runs API + web and/or the job worker until SIGINT/SIGTERM; `start` is both, on one database. */
export async function serve(options: ServeOptions) {
  const startedAt = performance.now();
  const runtime = await openRuntime(options.command);
  const { config, database, logger } = runtime;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const migration = await migrateDatabase(database);
    if (migration.newlyApplied > 0) logger.info({ applied: migration.newlyApplied }, 'migrations applied');

    const [anyOrg] = await database.db.select({ id: organizations.id }).from(organizations).limit(1);
    const firstStartDemo = !anyOrg && config.demoOnFirstStart !== 'none';
    if (firstStartDemo) {
      log('First start: creating the demo organization and its admin…');
      await loadDemoData({ ...runtime, actor: cliActor(), progress: () => undefined }, 'core');
    }

    const worker = options.worker ? await startJobWorker({ database, registry: runtime.jobRegistry, logger, clock: runtime.clock }) : null;
    const enqueue = worker?.enqueue ?? ((name: string, data: unknown) => enqueueJob(database, runtime.jobRegistry, name, data));

    let app: Awaited<ReturnType<typeof buildApp>> | null = null;
    if (options.http) {
      ensureWebBuilt(runtime);
      const bridgeToken = runtime.lock ? randomToken('rob_') : null;
      app = await buildApp({
        database,
        config,
        clock: runtime.clock,
        logger,
        encryptionKey: runtime.encryptionKey,
        ai: runtime.ai,
        jobs: { enqueue, registry: runtime.jobRegistry },
        modules: moduleCatalog.map((m) => m.descriptor),
        version,
        bridgeToken,
        runBridgedCommand: (command, args, onProgress) => runBridgedOperation(runtime, command, args, onProgress),
        deliverMessage: async (message) => {
          // No mail transport is configured in this build: the operator relays the message from the log.
          logger.warn({ to: message.to, subject: message.subject }, 'outgoing message (no mail transport configured)');
          process.stdout.write(`\n--- message to ${message.to}: ${message.subject}\n${message.text}\n---\n`);
        },
      });
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      runtime.lock?.update({ port, bridgeToken: bridgeToken ?? undefined });
    }

    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    const listeningPort = app ? (app.server.address() as { port: number }).port : config.port;
    const publicUrl = config.env.PUBLIC_URL ? config.publicUrl : `http://localhost:${listeningPort}`;
    const login = readDemoLogin(config.dataDir);
    log('');
    log(`RetailOps ${version} — ${options.command} ready in ${seconds} s`);
    if (app) log(`  Web app:   ${publicUrl}`);
    if (app) log(`  API docs:  ${publicUrl}/api/docs`);
    log(`  Database:  ${database.kind === 'pglite' ? `embedded PGlite in ${pgliteDir(config)}` : database.location}`);
    log(`  Worker:    ${worker ? `running (${worker.workerId})` : 'not in this process'}`);
    if (app && login && (await demoLoginStillValid(runtime, login))) log(`  Login:     ${login.email} / ${login.password}`);
    log('');

    if (firstStartDemo && config.demoOnFirstStart === 'all') {
      // The module demo data (years of history) loads after the server answers, so the first start is quick.
      let lastStep = '';
      const progress = (event: { step: string; current: number; total: number }) => {
        if (event.step !== lastStep) logger.info({ step: event.step, current: event.current, total: event.total }, 'loading demo data');
        lastStep = event.step;
      };
      log(
        'The demo data (a store chain with two years of KPIs, an electronics retailer with three years of sales and promotions, a contact centre with a year of agent metrics and coaching) loads in the background in a minute or two; the dashboards fill in then.',
      );
      // A short grace period first: PGlite has one connection, and the load holds it for seconds at a time.
      const timer = setTimeout(() => {
        void loadDemoData({ ...runtime, actor: cliActor(), progress }, 'modules')
          .then(() => log('Demo data loaded.'))
          .catch((error) => logger.error({ err: error }, 'loading demo data failed; run `retailops demo` to retry'));
      }, 8_000);
      timer.unref();
    }

    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 15_000);
      force.unref();
      await app?.close().catch((error) => logger.error({ err: error }, 'closing http failed'));
      await worker?.stop().catch((error: unknown) => logger.error({ err: error }, 'stopping worker failed'));
      await runtime.close().catch((error) => logger.error({ err: error }, 'closing database failed'));
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
}
