#!/usr/bin/env node
// Builds the web dashboard (web/) into web/dist with Vite.
// Usage: node bin/build-web.mjs [--if-missing]
//   --if-missing  skip the build when web/dist/index.html is newer than every web source file
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const webDir = join(repoRoot, 'web');
const configFile = join(webDir, 'vite.config.ts');
const builtIndex = join(webDir, 'dist', 'index.html');
// Config files change the output too, so they count as inputs alongside web/src and web/index.html.
const inputFiles = ['index.html', 'vite.config.ts', 'postcss.config.cjs'].map((name) => join(webDir, name));

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isUpToDate() {
  if (!existsSync(builtIndex)) return false;
  const builtAt = statSync(builtIndex).mtimeMs;
  const newestInput = Math.max(newestMtime(join(webDir, 'src')), ...inputFiles.map(newestMtime));
  return builtAt > newestInput;
}

function fail(message) {
  console.error(`web: build failed: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--if-missing');
if (unknown.length > 0) fail(`unknown argument ${unknown.join(' ')} (usage: node bin/build-web.mjs [--if-missing])`);
if (args.includes('--if-missing') && isUpToDate()) process.exit(0);
if (!existsSync(configFile)) fail(`missing ${configFile}`);

let build;
try {
  ({ build } = await import('vite'));
} catch {
  fail('vite is not installed. It is a dev dependency: run `npm install` (without --omit=dev) and try again.');
}

const startedAt = performance.now();
try {
  await build({ configFile, logLevel: 'warn', mode: 'production' });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
console.log(`web: built in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
