/**
 * The one interface every RetailOps module uses for text generation and
 * embeddings. Implementations: the offline provider (deterministic, no
 * network) and the AI SDK provider (OpenAI, OpenAI-compatible servers such as
 * Ollama, Anthropic).
 */

export type AiProviderName = 'offline' | 'openai' | 'anthropic';

export interface GenerateTextInput {
  system?: string | undefined;
  prompt: string;
  maxTokens?: number | undefined;
  temperature?: number | undefined;
  /** Overrides the provider's configured timeout for this call. */
  timeoutMs?: number | undefined;
  /** What the text is for, e.g. 'coaching.prep'; named in error messages. */
  purpose?: string | undefined;
  /** Deterministic text the offline provider returns instead of its generic summary. */
  fallback?: (() => string) | undefined;
}

export interface TokenUsage {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
}

export interface GeneratedText {
  text: string;
  provider: string;
  model: string | null;
  /** True when no language model wrote this text (offline provider or fallback). */
  producedWithoutModel: boolean;
  usage?: TokenUsage | undefined;
  latencyMs: number;
  /** Set when a model was asked but failed, and offline output was returned instead. */
  fallbackReason?: string | undefined;
}

export interface Embeddings {
  vectors: number[][];
  dimensions: number;
  provider: string;
  model: string | null;
  /** True when the vectors come from the offline feature-hashing embedder. */
  producedWithoutModel: boolean;
  /** Why the offline embedder was used although a model provider is configured. */
  fallbackReason?: string | undefined;
}

export interface AiProvider {
  readonly name: AiProviderName;
  /** Chat model id; null for the offline provider. */
  readonly model: string | null;
  generateText(input: GenerateTextInput): Promise<GeneratedText>;
  embed(texts: string[]): Promise<Embeddings>;
}

export type AiErrorCode = 'AI_TIMEOUT' | 'AI_BAD_RESPONSE' | 'AI_UNAVAILABLE' | 'AI_AUTH';

/**
 * The only error the AI layer throws for provider failures. The message is
 * meant for the person operating RetailOps: it names the provider, endpoint
 * and what to do, and never contains the API key.
 */
export class AiProviderError extends Error {
  override readonly name = 'AiProviderError';
  readonly code: AiErrorCode;
  readonly provider: string;
  readonly httpStatus: number | undefined;

  constructor(options: { code: AiErrorCode; message: string; provider: string; httpStatus?: number | undefined }) {
    super(options.message);
    this.code = options.code;
    this.provider = options.provider;
    this.httpStatus = options.httpStatus;
  }
}

export function isAiProviderError(error: unknown): error is AiProviderError {
  return error instanceof AiProviderError;
}
