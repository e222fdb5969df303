import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/core/db/schema.ts', './src/modules/*/schema.ts'],
  out: process.env.DRIZZLE_OUT ?? './migrations',
  schemaFilter: ['core', 'store_health', 'commerce', 'promotions', 'agent_org', 'coaching'],
});
