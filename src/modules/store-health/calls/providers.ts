import { and, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../../core/context.js';
import { integrations } from '../../../core/db/schema.js';
import { AppError } from '../../../core/errors.js';
import { getConfigValue, readIntegrationCredentials } from '../../../core/settings/settings-service.js';
import type { CallProvider, CallProviderResolver } from './call-provider.js';
import { createSimulatedProvider, type SimulatedProviderOptions } from './simulated-provider.js';
import { createTwilioProvider } from './twilio-provider.js';

export interface CallProviderResolverOptions {
  /** Decrypts the Twilio credentials; a function so a worker only loads the key when an organization uses Twilio. */
  encryptionKey?: Buffer | (() => Buffer);
  /** The server's public URL for Twilio callbacks. */
  publicUrl?: string | (() => string);
  /** Only for tests and egress proxies: another origin than https://api.twilio.com. */
  twilioApiBaseUrl?: string;
  simulated?: SimulatedProviderOptions;
}

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  fromNumber: string | null;
}

/** The organization's Twilio account from its `integrations` row (service_name 'twilio'); null when not set up. */
export async function readTwilioAccount(ctx: ServiceContext, encryptionKey: Buffer): Promise<TwilioAccount | null> {
  const credentials = await readIntegrationCredentials({ ...ctx, encryptionKey }, 'twilio');
  if (!credentials?.accountSid || !credentials.authToken) return null;
  const [row] = await ctx.db
    .select({ settings: integrations.settings })
    .from(integrations)
    .where(and(eq(integrations.organizationId, ctx.organization.id), eq(integrations.serviceName, 'twilio')));
  const fromNumber = typeof row?.settings?.fromNumber === 'string' ? row.settings.fromNumber : null;
  return { accountSid: credentials.accountSid, authToken: credentials.authToken, fromNumber };
}

const resolve = <T>(value: T | (() => T) | undefined): T | undefined => (typeof value === 'function' ? (value as () => T)() : value);

/**
 * Setting `calls.provider` chooses per organization: 'simulated' (default) or 'twilio' (needs the Twilio
 * integration with accountSid, authToken and settings.fromNumber, and a public URL for callbacks).
 */
export function createCallProviderResolver(options: CallProviderResolverOptions = {}): CallProviderResolver {
  const simulated = createSimulatedProvider(options.simulated);
  return async (ctx): Promise<CallProvider> => {
    const choice = await getConfigValue<string>(ctx, 'calls.provider', 'simulated');
    if (choice !== 'twilio') return simulated;
    const key = resolve(options.encryptionKey);
    const publicUrl = resolve(options.publicUrl);
    if (!key || !publicUrl)
      throw new AppError('TWILIO_NOT_CONFIGURED', 'Twilio calls need the encryption key and PUBLIC_URL in this process.', { status: 500 });
    const account = await readTwilioAccount(ctx, key);
    if (!account || !account.fromNumber) {
      throw new AppError(
        'TWILIO_NOT_CONFIGURED',
        'calls.provider is "twilio" but the Twilio integration lacks accountSid, authToken or settings.fromNumber; fix it under Settings → Integrations.',
        { status: 400 },
      );
    }
    return createTwilioProvider({ ...account, fromNumber: account.fromNumber, publicUrl, apiBaseUrl: options.twilioApiBaseUrl });
  };
}
