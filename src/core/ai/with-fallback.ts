import { AiProviderError, type AiProvider, type Embeddings, type GenerateTextInput, type GeneratedText } from './provider.js';

export interface WithFallbackOptions {
  /**
   * Also fall back for embeddings. Off by default: offline vectors have other
   * dimensions and meaning than model vectors, so mixing them into an index
   * built with the model silently breaks search.
   */
  embeddings?: boolean | undefined;
  /** Called with the swallowed error, e.g. to log it. */
  onFallback?: ((error: AiProviderError) => void) | undefined;
}

/**
 * Wraps a provider so that AiProviderErrors yield the offline provider's
 * output instead, marked producedWithoutModel with a fallbackReason. For
 * callers that prefer degraded output to an error; other errors still throw.
 */
export function withFallback(provider: AiProvider, offline: AiProvider, options: WithFallbackOptions = {}): AiProvider {
  const fallBack = async <T extends GeneratedText | Embeddings>(primary: () => Promise<T>, secondary: () => Promise<T>): Promise<T> => {
    try {
      return await primary();
    } catch (error) {
      if (!(error instanceof AiProviderError)) throw error;
      options.onFallback?.(error);
      const result = await secondary();
      return { ...result, producedWithoutModel: true, fallbackReason: `${error.code}: ${error.message}` };
    }
  };

  return {
    name: provider.name,
    model: provider.model,
    generateText: (input: GenerateTextInput) =>
      fallBack(
        () => provider.generateText(input),
        () => offline.generateText(input),
      ),
    embed: (texts: string[]) =>
      options.embeddings
        ? fallBack(
            () => provider.embed(texts),
            () => offline.embed(texts),
          )
        : provider.embed(texts),
  };
}
