import path from 'node:path';
import { Command, Option } from 'commander';
import { ZodError } from 'zod';
import { loadConfig } from '../core/config.js';
import { embeddedBusyError } from '../core/db/embedded-lock.js';
import { getMigrationStatus } from '../core/db/migrate.js';
import { AppError, isAppError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { bridgeableOperations, callServerBridge } from './bridge.js';
import { serve } from './commands/start.js';
import { createProgressRenderer } from './progress.js';
import { cliActor, embeddedHolder, openRuntime, version } from './runtime.js';

type Printer = (result: any) => void;

const out = (line = '') => process.stdout.write(`${line}\n`);

/** Runs an operation here, or through the running server when it holds the embedded database. */
async function runOperation(
  name: string,
  args: Record<string, unknown>,
  options: { title: string; json?: boolean; print: Printer; requiresMigrated?: boolean },
) {
  const config = loadConfig();
  const holder = embeddedHolder(config);
  const progress = createProgressRenderer(options.title);
  let result: unknown;
  try {
    if (holder) {
      if (!holder.port || !holder.bridgeToken) throw embeddedBusyError(config.dataDir, holder);
      process.stderr.write(`(the embedded database is held by the running server, pid ${holder.pid}; running through it)\n`);
      result = await callServerBridge(holder, name, args, progress);
    } else {
      const runtime = await openRuntime(name, { config, logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel) });
      try {
        if (options.requiresMigrated !== false) {
          const status = await getMigrationStatus(runtime.database);
          if (status.pending > 0)
            throw new AppError('NOT_MIGRATED', `The database has ${status.pending} pending migration(s). Run \`retailops migrate\` first.`);
        }
        result = await bridgeableOperations[name]({ ...runtime, actor: cliActor(), progress }, args);
      } finally {
        await runtime.close();
      }
    }
  } finally {
    progress.stop();
  }
  if (options.json) out(JSON.stringify(result, null, 2));
  else options.print(result);
}

export function buildProgram(): Command {
  const program = new Command('retailops')
    .description(
      'RetailOps — an AI operations manager for retail businesses.\nUses PostgreSQL when DATABASE_URL is set, else the embedded PGlite database in ./data (RETAILOPS_DATA_DIR).',
    )
    .version(version)
    .showHelpAfterError();

  program
    .command('start')
    .description('Run API, web app and job worker in one process (the default for `npm start`)')
    .action(() => serve({ http: true, worker: true, command: 'start' }));
  program
    .command('serve')
    .description('Run the API and web app only (run workers separately)')
    .action(() => serve({ http: true, worker: false, command: 'serve' }));
  program
    .command('worker')
    .description('Run background jobs only; start several on PostgreSQL to scale out')
    .action(() => serve({ http: false, worker: true, command: 'worker' }));

  program
    .command('migrate')
    .description('Apply database migrations (safe to repeat)')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation(
        'migrate',
        {},
        {
          title: 'migrate',
          json: o.json,
          requiresMigrated: false,
          print: (r) =>
            out(
              r.newlyApplied > 0
                ? `Applied ${r.newlyApplied} migration(s) to ${r.location}; now at ${r.latest}.`
                : `Nothing to do: ${r.location} is up to date (${r.latest}).`,
            ),
        },
      ),
    );

  program
    .command('demo')
    .description('Load or refresh the demo organizations and data (idempotent)')
    .addOption(new Option('--only <part>', 'only the core organizations and users, or only the module data').choices(['core', 'modules']))
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation(
        'demo',
        { only: o.only },
        {
          title: 'demo',
          json: o.json,
          requiresMigrated: false,
          print: (r) => {
            out(`Demo data ready in: ${r.organizations.join(', ')} (${r.steps.length} steps).`);
            if (r.login) out(`Login: ${r.login.email} / ${r.login.password}`);
          },
        },
      ),
    );

  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user (or add an existing one) as a member of an organization')
    .requiredOption('--email <email>')
    .option('--password <password>', 'initial password (at least 8 characters); required for a new user')
    .requiredOption('--org <slug>', 'organization slug')
    .addOption(new Option('--role <role>', 'role in the organization').default('staff'))
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation(
        'user.create',
        { email: o.email, password: o.password, org: o.org, role: o.role, name: o.name },
        { title: 'user create', json: o.json, print: (r) => out(`${r.email} is now ${r.role} in ${o.org}.`) },
      ),
    );
  user
    .command('reset-password')
    .description('Set a new password (printed when generated), or print a single-use reset link with --link')
    .requiredOption('--email <email>')
    .option('--password <password>', 'the new password (default: generate one)')
    .option('--link', 'print a reset link valid for one hour instead of setting a password')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation(
        'user.reset-password',
        { email: o.email, password: o.password, link: o.link },
        {
          title: 'reset-password',
          json: o.json,
          print: (r) => {
            if (r.resetLink) out(`Reset link for ${r.email} (valid until ${r.expiresAt}):\n${r.resetLink}`);
            else out(r.password ? `New password for ${r.email}: ${r.password}` : `Password changed for ${r.email}; their sessions were ended.`);
          },
        },
      ),
    );

  program
    .command('token')
    .description('Manage API tokens')
    .command('create')
    .description('Create an API token acting as a member of an organization; printed once')
    .requiredOption('--org <slug>')
    .requiredOption('--email <email>', 'the member the token acts as')
    .option('--name <name>', 'what the token is for', 'cli token')
    .option('--role <role>', 'at most the member’s role (default: the member’s role)')
    .option('--expires-in-days <days>', 'expiry (default: never)')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation(
        'token.create',
        { org: o.org, email: o.email, name: o.name, role: o.role, expiresInDays: o.expiresInDays },
        {
          title: 'token create',
          json: o.json,
          print: (r) => {
            out(`Token "${r.name}" (${r.role}) for ${r.user.email} — shown once, store it now:`);
            out(r.token);
          },
        },
      ),
    );

  program
    .command('org')
    .description('Manage organizations')
    .command('create')
    .description('Create an organization')
    .requiredOption('--slug <slug>')
    .requiredOption('--name <name>')
    .option('--timezone <iana>', 'IANA time zone, e.g. Europe/Berlin', 'UTC')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation(
        'org.create',
        { slug: o.slug, name: o.name, timezone: o.timezone },
        {
          title: 'org create',
          json: o.json,
          print: (r) => out(`Created ${r.name} (${r.slug}, ${r.timezone}). Add people with: retailops user create --org ${r.slug} --email … --role admin`),
        },
      ),
    );

  program
    .command('db')
    .description('Database commands')
    .command('info')
    .description('Which database, its size, migrations, worker heartbeat and organizations')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation(
        'db.info',
        {},
        {
          title: 'db info',
          json: o.json,
          requiresMigrated: false,
          print: (r) => {
            out(`Database:    ${r.kind} — ${r.location}`);
            out(`Server:      ${r.server}, ${r.size}`);
            out(`Migrations:  ${r.migrations.applied} applied, ${r.migrations.pending} pending (latest ${r.migrations.latest})`);
            out(`Worker:      ${r.worker?.ok ? `alive (last heartbeat ${r.worker.lastHeartbeatAt})` : 'no live worker'}`);
            out(`Users:       ${r.users} (${r.memberships} memberships)`);
            out(`Organizations:`);
            for (const org of r.organizations) out(`  ${org.slug.padEnd(20)} ${org.name} (${org.timezone})`);
          },
        },
      ),
    );
  const importCommand = program.command('import').description('Import data files (CSV, XLSX, XLSB) into a module');
  importCommand
    .command('store-health <kind> <file>')
    .description(
      'Import store-health data: metrics (store_code, kpi_code, metric_date, value), stores, labor-schedules, labor-callouts, inventory-levels, out-of-stock-events; then re-evaluate changed days',
    )
    .requiredOption('--org <slug>', 'organization slug')
    .option('--json', 'print JSON')
    .action((kind, file, o) =>
      runOperation(
        'store-health.import',
        { org: o.org, kind, file: path.resolve(file) },
        {
          title: `import ${kind}`,
          json: o.json,
          print: (r) => {
            out(`${r.fileName}: ${r.rows} rows — ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged.`);
            if (r.evaluation)
              out(
                `Re-evaluated ${r.changedDates.from} … ${r.changedDates.to}: ${r.evaluation.metricsEvaluated} metrics, ${r.evaluation.snapshots} snapshots, ${r.evaluation.alertsOpened} alerts opened.`,
              );
          },
        },
      ),
    );

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  importCommand
    .command('promotions <kind> <files...>')
    .description(
      'Import promotions data from .xlsb, .xlsx or .csv files as one job: sales (date, channel, department, promo_flag, discount_pct, sales_value, margin_value, units), promo-catalog, targets, segments. Re-importing replaces, never duplicates',
    )
    .requiredOption('--org <slug>', 'organization slug')
    .option('--map <field=column>', 'read a field from a differently named column (or a column letter such as B); repeatable', collect)
    .option('--set <field=value>', 'a constant for a field the files lack, e.g. channel=online; repeatable', collect)
    .option('--sheet <name>', 'the sheet to read in workbooks (default: the first sheet with data)')
    .option('--date-order <order>', 'how to read ambiguous dates like 03/04/2024: dmy or mdy (default: detect)')
    .option('--aggregate', 'sum rows that share a key (per-line exports) instead of refusing duplicates')
    .option('--json', 'print JSON')
    .action((kind, files: string[], o) =>
      runOperation(
        'promotions.import',
        {
          org: o.org,
          kind,
          files: files.map((f) => path.resolve(f)),
          map: o.map ?? [],
          set: o.set ?? [],
          sheet: o.sheet,
          dateOrder: o.dateOrder,
          aggregate: Boolean(o.aggregate),
        },
        { title: `import ${kind}`, json: o.json, print: (r) => out(r.text) },
      ),
    );

  importCommand
    .command('coaching <kind> <file>')
    .description(
      'Import coaching metrics (kind: metrics) from a .csv/.xlsx/.xlsb/.xls file: daily per-agent rows (AHT, CSAT, FCR %, …) or per-call rows aggregated per agent and day. The same file twice is refused; roll back with `retailops coaching rollback ID`',
    )
    .requiredOption('--org <slug>', 'organization slug')
    .option('--partial', 'write the good rows when some rows have errors (default: nothing is written)')
    .addOption(new Option('--aggregate <shape>', 'per-call or daily (default: detect)').choices(['auto', 'per-call', 'daily']))
    .option('--create-agents', 'create unknown agents (AGENT people without a team leader)')
    .option('--map <field=column>', 'read a field from a differently named column (or a column letter); repeatable', collect)
    .option('--sheet <name>', 'the sheet to read in workbooks')
    .option('--date-order <order>', 'how to read ambiguous dates like 03/04/2024: dmy or mdy')
    .option('--json', 'print JSON')
    .action((kind, file, o) =>
      runOperation(
        'coaching.import',
        {
          org: o.org,
          kind,
          file: path.resolve(file),
          partial: Boolean(o.partial),
          aggregate: o.aggregate,
          createAgents: Boolean(o.createAgents),
          map: o.map ?? [],
          sheet: o.sheet,
          dateOrder: o.dateOrder,
        },
        { title: `import coaching ${kind}`, json: o.json, print: (r) => out(r.text) },
      ),
    );
  const coachingCommand = program.command('coaching').description('Coaching: metric imports and their rollback');
  coachingCommand
    .command('imports')
    .description('List metric imports, newest first')
    .requiredOption('--org <slug>', 'organization slug')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action((o) => runOperation('coaching.imports', { org: o.org, limit: o.limit }, { title: 'coaching imports', json: o.json, print: (r) => out(r.text) }));
  coachingCommand
    .command('rollback <id>')
    .description('Roll a metric import back: previous values restored, inserted rows deleted, history recomputed')
    .requiredOption('--org <slug>', 'organization slug')
    .option('--json', 'print JSON')
    .action((id, o) => runOperation('coaching.rollback', { org: o.org, id }, { title: 'coaching rollback', json: o.json, print: (r) => out(r.text) }));

  const promotionsCommand = program.command('promotions').description('Promotions: baseline backtest, opportunities, validation and post-mortems');
  promotionsCommand
    .command('backtest')
    .description(
      'Rolling-origin backtest of the baseline models per department × channel; WAPE and MASE next to seasonal naive and the seed day-of-week baseline',
    )
    .requiredOption('--org <slug>')
    .option('--horizon <days>', 'days ahead per fold', '28')
    .option('--folds <n>', 'forecast origins', '4')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation('promotions.backtest', { org: o.org, horizon: o.horizon, folds: o.folds }, { title: 'backtest', json: o.json, print: (r) => out(r.text) }),
    );
  promotionsCommand
    .command('opportunities')
    .description('Gap between baseline forecast and monthly target by department × channel, ranked by money')
    .requiredOption('--org <slug>')
    .option('--month <yyyy-mm>', 'default: next month')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation('promotions.opportunities', { org: o.org, month: o.month }, { title: 'opportunities', json: o.json, print: (r) => out(r.text) }),
    );
  promotionsCommand
    .command('validate')
    .description('Validate a scenario: PASS / WARN / BLOCK with issues and suggested fixes')
    .requiredOption('--org <slug>')
    .requiredOption('--scenario <id>')
    .option('--json', 'print JSON')
    .action((o) => runOperation('promotions.validate', { org: o.org, scenario: o.scenario }, { title: 'validate', json: o.json, print: (r) => out(r.text) }));
  promotionsCommand
    .command('post-mortem')
    .description("Compare a finished scenario's actual sales with its forecast, then update the uplift coefficients")
    .requiredOption('--org <slug>')
    .requiredOption('--scenario <id>')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation('promotions.post-mortem', { org: o.org, scenario: o.scenario }, { title: 'post-mortem', json: o.json, print: (r) => out(r.text) }),
    );

  const storeHealth = program.command('store-health').description('Store health: evaluation, status and backtests');
  storeHealth
    .command('evaluate')
    .description('Evaluate KPIs, snapshots, alerts and tasks for a day or a range (re-running gives the same result)')
    .requiredOption('--org <slug>')
    .option('--date <date>', 'one day, e.g. 2026-03-02')
    .option('--from <date>')
    .option('--to <date>')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation(
        'store-health.evaluate',
        { org: o.org, date: o.date, from: o.from, to: o.to },
        {
          title: 'evaluate',
          json: o.json,
          print: (r) =>
            out(
              `Evaluated ${r.metricsEvaluated} metrics into ${r.snapshots} snapshots; ${r.alertsOpened} alerts opened, ${r.alertsResolved} resolved, ${r.tasksCreated} tasks (${(r.ms / 1000).toFixed(1)} s).`,
            ),
        },
      ),
    );
  storeHealth
    .command('status')
    .description("Each store's health snapshot for a day")
    .requiredOption('--org <slug>')
    .requiredOption('--date <date>')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation(
        'store-health.status',
        { org: o.org, date: o.date },
        {
          title: 'status',
          json: o.json,
          print: (rows) => {
            for (const s of rows)
              out(
                `${String(s.storeCode).padEnd(10)} ${String(s.overallStatus).padEnd(8)} score ${String(s.healthScore ?? '–').padStart(6)}  red ${s.redKpiCount} yellow ${s.yellowKpiCount}  ${s.storeName ?? ''}`,
              );
          },
        },
      ),
    );
  storeHealth
    .command('backtest')
    .description('Replay history: predicted-status accuracy next to a persistence baseline, and escalation load per level')
    .requiredOption('--org <slug>')
    .requiredOption('--from <date>')
    .requiredOption('--to <date>')
    .option('--horizon <days>', 'days ahead to predict', '1')
    .option('--json', 'print JSON')
    .action((o) =>
      runOperation(
        'store-health.backtest',
        { org: o.org, from: o.from, to: o.to, horizon: o.horizon },
        {
          title: 'backtest',
          json: o.json,
          print: (r) => out(r.text),
        },
      ),
    );
  return program;
}

export async function runCli(argv: string[]) {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (isAppError(error)) {
      process.stderr.write(`error: ${error.message}\n`);
      if (Array.isArray(error.details))
        for (const d of error.details as { path: string; message: string }[]) process.stderr.write(`  ${d.path}: ${d.message}\n`);
    } else if (error instanceof ZodError) {
      process.stderr.write(`error: invalid input\n${error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`).join('\n')}\n`);
    } else {
      process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
  }
}
