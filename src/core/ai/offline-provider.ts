import type { AiProvider, Embeddings, GenerateTextInput, GeneratedText } from './provider.js';

/** Prefix on every offline text that did not come from a caller's fallback. */
export const OFFLINE_TEXT_LABEL = '[offline — produced without a language model]';

export const OFFLINE_EMBEDDING_DIMENSIONS = 256;

const DEFAULT_SUMMARY_CHARS = 400;
/** Rough chars-per-token ratio, only used to honour maxTokens approximately. */
const CHARS_PER_TOKEN = 4;
/** Bigrams carry word order, but a shared bigram implies two shared unigrams already counted. */
const BIGRAM_WEIGHT = 0.5;

/**
 * Function words that every sentence shares; hashing them would make
 * unrelated texts look similar.
 */
const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'from',
  'has',
  'have',
  'he',
  'her',
  'his',
  'i',
  'if',
  'in',
  'into',
  'is',
  'it',
  'its',
  'me',
  'my',
  'no',
  'not',
  'of',
  'on',
  'or',
  'our',
  'she',
  'so',
  'than',
  'that',
  'the',
  'their',
  'them',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'we',
  'were',
  'what',
  'when',
  'which',
  'who',
  'will',
  'with',
  'you',
  'your',
]);

export function createOfflineProvider(): AiProvider {
  return {
    name: 'offline',
    model: null,
    async generateText(input: GenerateTextInput): Promise<GeneratedText> {
      const startedAt = performance.now();
      const text = input.fallback ? input.fallback() : summarizePromptOffline(input.prompt, input.maxTokens);
      return {
        text,
        provider: 'offline',
        model: null,
        producedWithoutModel: true,
        latencyMs: Math.round(performance.now() - startedAt),
      };
    },
    async embed(texts: string[]): Promise<Embeddings> {
      return {
        vectors: texts.map((text) => hashingEmbedding(text)),
        dimensions: OFFLINE_EMBEDDING_DIMENSIONS,
        provider: 'offline',
        model: null,
        producedWithoutModel: true,
      };
    },
  };
}

/**
 * A labelled extract of the prompt's opening sentences: honest about not being
 * model output, yet still shows the reader what the request was about.
 */
export function summarizePromptOffline(prompt: string, maxTokens?: number): string {
  const maxChars = Math.min(DEFAULT_SUMMARY_CHARS, maxTokens !== undefined ? maxTokens * CHARS_PER_TOKEN : Infinity);
  const normalized = prompt.replace(/\s+/g, ' ').trim();
  if (normalized === '') return `${OFFLINE_TEXT_LABEL} (empty prompt)`;

  const sentences = normalized.split(/(?<=[.!?])\s+/);
  let summary = '';
  for (const sentence of sentences) {
    const candidate = summary === '' ? sentence : `${summary} ${sentence}`;
    if (candidate.length > maxChars) break;
    summary = candidate;
  }
  if (summary === '') summary = `${normalized.slice(0, Math.max(1, maxChars - 1)).trimEnd()}…`;
  return `${OFFLINE_TEXT_LABEL} ${summary}`;
}

/**
 * Feature-hashing embedding: word unigrams and bigrams hashed with FNV-1a into
 * signed buckets, then L2-normalised. Texts that share words get a higher
 * cosine similarity, which makes it a usable search fallback. A text with no
 * words yields the zero vector.
 */
export function hashingEmbedding(text: string, dimensions: number = OFFLINE_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = tokenize(text);
  const addFeature = (feature: string, weight: number): void => {
    const hash = fnv1a32(feature);
    const bucket = hash % dimensions;
    // The top bit picks the sign so that colliding features tend to cancel rather than pile up.
    const sign = hash & 0x80000000 ? -1 : 1;
    vector[bucket]! += sign * weight;
  };
  for (let i = 0; i < words.length; i++) {
    addFeature(words[i]!, 1);
    if (i + 1 < words.length) addFeature(`${words[i]} ${words[i + 1]}`, BIGRAM_WEIGHT);
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((word) => !STOP_WORDS.has(word)).map(stripPlural);
}

/** Just enough stemming that 'sale'/'sales' and 'store'/'stores' land in the same bucket. */
function stripPlural(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** 32-bit FNV-1a over UTF-8 bytes: stable across processes and platforms. */
export function fnv1a32(value: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of utf8.encode(value)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * Cosine similarity in [-1, 1]; 0 when either vector is all zeros. Throws on a
 * length mismatch, which means vectors from different embedders are being mixed.
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) {
    throw new RangeError(`Cannot compare embeddings of different dimensions (${a.length} vs ${b.length}); they come from different embedding models.`);
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  if (normA === 0 || normB === 0) return 0;
  return dot / Math.sqrt(normA * normB);
}
