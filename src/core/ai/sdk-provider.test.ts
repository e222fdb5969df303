import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAiProvider } from './index.js';
import { OFFLINE_EMBEDDING_DIMENSIONS } from './offline-provider.js';
import { AiProviderError, type AiErrorCode } from './provider.js';
import { createAnthropicProvider } from './sdk-provider.js';

const API_KEY = 'sk-test-4f9a1c7e2b8d-do-not-leak';

/** What the fake server does with the next chat completion request. */
type ChatScenario = 'ok' | 'empty' | 'slow' | 'not-json' | 'no-choices' | 'unauthorized' | 'server-error';

interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let server: Server;
let baseUrl: string;
let chatScenario: ChatScenario = 'ok';
let requests: RecordedRequest[] = [];

function chatCompletion(content: string) {
  return {
    id: 'chatcmpl-test-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
  };
}

/** A small OpenAI- and Anthropic-shaped HTTP server; the only network the tests touch. */
function startFakeServer(): Promise<Server> {
  const fake = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const sendJson = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };

      if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        switch (chatScenario) {
          case 'ok':
            return sendJson(200, chatCompletion('  Open with: what changed in October?  '));
          case 'empty':
            return sendJson(200, chatCompletion(''));
          case 'slow': {
            const timer = setTimeout(() => sendJson(200, chatCompletion('too late')), 3_000);
            res.on('close', () => clearTimeout(timer));
            return;
          }
          case 'not-json':
            res.writeHead(200, { 'content-type': 'text/html' });
            return res.end('<html><body>Welcome to nginx!</body></html>');
          case 'no-choices':
            return sendJson(200, { id: 'chatcmpl-test-2', object: 'chat.completion', model: 'gpt-4o-mini' });
          case 'unauthorized':
            // Real providers echo (part of) the key; the client must not pass it on.
            return sendJson(401, {
              error: { message: `Incorrect API key provided: ${API_KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' },
            });
          case 'server-error':
            // retry-after-ms is what OpenAI sends; it keeps the SDK's 2 s default backoff out of the test.
            return sendJson(
              500,
              { error: { message: 'The server had an error while processing your request.', type: 'server_error' } },
              { 'retry-after-ms': '10' },
            );
        }
      }
      if (req.method === 'POST' && req.url === '/v1/embeddings') {
        const inputs = body['input'] as string[];
        return sendJson(200, {
          object: 'list',
          data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: [text.length, index, 0.5] })),
          model: body['model'],
          usage: { prompt_tokens: 10, total_tokens: 10 },
        });
      }
      if (req.method === 'POST' && req.url === '/v1/messages') {
        return sendJson(200, {
          id: 'msg_test_1',
          type: 'message',
          role: 'assistant',
          model: body['model'],
          content: [{ type: 'text', text: 'Anthropic says hello.' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 11, output_tokens: 4 },
        });
      }
      sendJson(404, { error: { message: `No route for ${req.method} ${req.url}` } });
    });
  });
  return new Promise((resolve) => fake.listen(0, '127.0.0.1', () => resolve(fake)));
}

async function expectAiError(promise: Promise<unknown>, code: AiErrorCode): Promise<AiProviderError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected an AiProviderError with code ${code}, but the call succeeded`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AiProviderError);
  const aiError = error as AiProviderError;
  expect(aiError.code, aiError.message).toBe(code);
  expect(aiError.message).not.toContain(API_KEY);
  return aiError;
}

beforeAll(async () => {
  server = await startFakeServer();
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

beforeEach(() => {
  chatScenario = 'ok';
  requests = [];
});

const openai = () => createAiProvider({ openaiApiKey: API_KEY, openaiBaseUrl: baseUrl, timeoutMs: 2_000 });

describe('OpenAI-compatible provider against a fake server', () => {
  it('returns the completion text and usage, sending key, model and both messages', async () => {
    const result = await openai().generateText({
      system: 'You are a retail coach.',
      prompt: 'Prepare a session for Dana.',
      maxTokens: 200,
      temperature: 0.2,
      purpose: 'coaching.prep',
    });

    expect(result).toMatchObject({
      text: 'Open with: what changed in October?',
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      producedWithoutModel: false,
      usage: { inputTokens: 42, outputTokens: 7 },
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);

    expect(requests).toHaveLength(1);
    const [request] = requests as [RecordedRequest];
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body).toMatchObject({
      model: 'gpt-4o-mini',
      max_tokens: 200,
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'You are a retail coach.' },
        { role: 'user', content: 'Prepare a session for Dana.' },
      ],
    });
  });

  it('uses the configured chat model', async () => {
    const provider = createAiProvider({ openaiApiKey: API_KEY, openaiBaseUrl: baseUrl, model: 'llama3.1:8b' });
    expect(provider.model).toBe('llama3.1:8b');
    await provider.generateText({ prompt: 'Hello' });
    expect(requests[0]?.body['model']).toBe('llama3.1:8b');
  });

  it('maps a reply slower than timeoutMs to AI_TIMEOUT, promptly', async () => {
    chatScenario = 'slow';
    const provider = createAiProvider({ openaiApiKey: API_KEY, openaiBaseUrl: baseUrl, timeoutMs: 300 });
    const startedAt = Date.now();

    const error = await expectAiError(provider.generateText({ prompt: 'Hello', purpose: 'coaching.prep' }), 'AI_TIMEOUT');

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(error.message).toContain('"coaching.prep" request within 300 ms');
    expect(error.message).toContain(baseUrl);
    expect(error.message).toContain('AI_TIMEOUT_MS');
    // Timeouts are not retried: the budget is for the whole call.
    expect(requests).toHaveLength(1);
  });

  it('honours a per-call timeoutMs over the configured one', async () => {
    chatScenario = 'slow';
    const startedAt = Date.now();
    await expectAiError(openai().generateText({ prompt: 'Hello', timeoutMs: 300 }), 'AI_TIMEOUT');
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  it('maps a 200 reply that is not JSON to AI_BAD_RESPONSE', async () => {
    chatScenario = 'not-json';
    const error = await expectAiError(openai().generateText({ prompt: 'Hello' }), 'AI_BAD_RESPONSE');
    expect(error.httpStatus).toBe(200);
    expect(error.message).toContain('not a valid openai API response (the body is not JSON; it began: <html><body>Welcome to nginx!');
    expect(error.message).toContain('OPENAI_BASE_URL');
  });

  it('maps a 200 JSON reply without choices to AI_BAD_RESPONSE', async () => {
    chatScenario = 'no-choices';
    const error = await expectAiError(openai().generateText({ prompt: 'Hello' }), 'AI_BAD_RESPONSE');
    expect(error.message).toContain('the JSON lacks fields the API requires; it began: {"id":"chatcmpl-test-2"');
  });

  it('maps an empty completion to AI_BAD_RESPONSE', async () => {
    chatScenario = 'empty';
    const error = await expectAiError(openai().generateText({ prompt: 'Hello' }), 'AI_BAD_RESPONSE');
    expect(error.message).toContain('empty completion');
  });

  it('maps HTTP 401 to AI_AUTH without echoing the key the server sent back', async () => {
    chatScenario = 'unauthorized';
    const error = await expectAiError(openai().generateText({ prompt: 'Hello' }), 'AI_AUTH');
    expect(error.httpStatus).toBe(401);
    expect(error.message).toContain('Incorrect API key provided: [redacted]');
    expect(error.message).toContain('Check OPENAI_API_KEY');
    // Auth failures are not retryable.
    expect(requests).toHaveLength(1);
  });

  it('maps HTTP 500 to AI_UNAVAILABLE after retrying once', async () => {
    chatScenario = 'server-error';
    const error = await expectAiError(openai().generateText({ prompt: 'Hello' }), 'AI_UNAVAILABLE');
    expect(requests).toHaveLength(2);
    expect(error.httpStatus).toBe(500);
    expect(error.message).toContain('HTTP 500 after 2 attempts');
    expect(error.message).toContain('The server had an error');
  });

  it('maps an unreachable server to AI_UNAVAILABLE naming the base URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/v1`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    // No retries: a refused connection carries no retry-after header, so a retry would wait the SDK's 2 s backoff.
    const provider = createAiProvider({ openaiApiKey: API_KEY, openaiBaseUrl: deadUrl, maxRetries: 0 });
    const error = await expectAiError(provider.generateText({ prompt: 'Hello' }), 'AI_UNAVAILABLE');
    expect(error.message).toContain(`Could not reach openai at ${deadUrl}`);
  });

  it('returns embeddings from the embeddings endpoint', async () => {
    const result = await openai().embed(['sales down', 'footfall flat']);

    expect(result).toEqual({
      vectors: [
        [10, 0, 0.5],
        [13, 1, 0.5],
      ],
      dimensions: 3,
      provider: 'openai',
      model: 'text-embedding-3-small',
      producedWithoutModel: false,
    });
    const [request] = requests as [RecordedRequest];
    expect(request.path).toBe('/v1/embeddings');
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body).toMatchObject({ model: 'text-embedding-3-small', input: ['sales down', 'footfall flat'] });
  });

  it('does not call the server to embed nothing', async () => {
    const result = await openai().embed([]);
    expect(result.vectors).toEqual([]);
    expect(requests).toHaveLength(0);
  });
});

describe('Anthropic provider against a fake server', () => {
  it('returns the message text and usage', async () => {
    const anthropic = createAnthropicProvider({ apiKey: API_KEY, baseUrl, timeoutMs: 2_000 });
    const result = await anthropic.generateText({ system: 'Be brief.', prompt: 'Say hello.', maxTokens: 50 });

    expect(result).toMatchObject({
      text: 'Anthropic says hello.',
      provider: 'anthropic',
      model: 'claude-3-5-haiku-latest',
      producedWithoutModel: false,
      usage: { inputTokens: 11, outputTokens: 4 },
    });
    const [request] = requests as [RecordedRequest];
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe(API_KEY);
    expect(request.body).toMatchObject({ model: 'claude-3-5-haiku-latest', max_tokens: 50, system: [{ text: 'Be brief.' }] });
  });

  it('embeds offline, and says so, because Anthropic has no embeddings API', async () => {
    const anthropic = createAnthropicProvider({ apiKey: API_KEY, baseUrl });
    const result = await anthropic.embed(['sales down']);

    expect(result).toMatchObject({
      provider: 'offline',
      model: null,
      dimensions: OFFLINE_EMBEDDING_DIMENSIONS,
      producedWithoutModel: true,
    });
    expect(result.fallbackReason).toMatch(/Anthropic offers no embeddings API/);
    expect(requests).toHaveLength(0);
  });
});
