import { describe, expect, it } from 'vitest';
import {
  OFFLINE_EMBEDDING_DIMENSIONS,
  OFFLINE_TEXT_LABEL,
  cosineSimilarity,
  createOfflineProvider,
  fnv1a32,
  hashingEmbedding,
  summarizePromptOffline,
} from './offline-provider.js';

const offline = createOfflineProvider();

const PROMPT =
  'Prepare a coaching session for Dana, who manages the Leeds store. Sales fell 12% in October. ' +
  'Footfall was flat, so conversion is the likely issue. Suggest three questions to open with.';

describe('offline provider: generateText', () => {
  it('returns the same labelled text for the same input, marked as produced without a model', async () => {
    const first = await offline.generateText({ prompt: PROMPT, purpose: 'coaching.prep' });
    const second = await offline.generateText({ prompt: PROMPT, purpose: 'coaching.prep' });

    expect(second.text).toBe(first.text);
    expect(first.text.startsWith(`${OFFLINE_TEXT_LABEL} Prepare a coaching session for Dana`)).toBe(true);
    expect(first).toMatchObject({ provider: 'offline', model: null, producedWithoutModel: true });
    expect(first.usage).toBeUndefined();
    expect(first.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('returns the caller fallback verbatim when one is given', async () => {
    const result = await offline.generateText({
      prompt: PROMPT,
      fallback: () => 'Agenda: 1. Review October sales. 2. Conversion plan.',
    });
    expect(result.text).toBe('Agenda: 1. Review October sales. 2. Conversion plan.');
    expect(result.producedWithoutModel).toBe(true);
  });

  it('summarises whole opening sentences within the length budget', () => {
    expect(summarizePromptOffline(PROMPT, 30)).toBe(
      `${OFFLINE_TEXT_LABEL} Prepare a coaching session for Dana, who manages the Leeds store. Sales fell 12% in October.`,
    );
    expect(summarizePromptOffline('  \n ')).toBe(`${OFFLINE_TEXT_LABEL} (empty prompt)`);
    // A first sentence longer than the budget is cut rather than dropped.
    expect(summarizePromptOffline('word '.repeat(50), 5)).toBe(`${OFFLINE_TEXT_LABEL} word word word word…`);
  });
});

describe('offline provider: embed', () => {
  const texts = [
    'Weekly sales report for the Leeds store: sales down, conversion rate falling',
    'Leeds store sales report shows conversion rate falling this week',
    'How to reset the password of the staff rota app',
  ];

  it('is deterministic, L2-normalised and has the documented dimensions', async () => {
    const first = await offline.embed(texts);
    const second = await offline.embed(texts);

    expect(second.vectors).toEqual(first.vectors);
    expect(first).toMatchObject({
      dimensions: OFFLINE_EMBEDDING_DIMENSIONS,
      provider: 'offline',
      model: null,
      producedWithoutModel: true,
    });
    expect(first.vectors).toHaveLength(3);
    for (const vector of first.vectors) {
      expect(vector).toHaveLength(256);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    }
  });

  it('puts texts sharing words much closer together than unrelated texts', async () => {
    const { vectors } = await offline.embed(texts);
    const [salesReport, paraphrase, passwordHelp] = vectors as [number[], number[], number[]];

    const similar = cosineSimilarity(salesReport, paraphrase);
    const unrelated = cosineSimilarity(salesReport, passwordHelp);

    expect(similar).toBeGreaterThan(0.5);
    expect(Math.abs(unrelated)).toBeLessThan(0.2);
    expect(similar).toBeGreaterThan(unrelated + 0.4);
  });

  it('ignores case, punctuation, stop words and plural -s', () => {
    expect(hashingEmbedding('The STORES, and their sales!')).toEqual(hashingEmbedding('store sale'));
  });

  it('returns the zero vector for text without words', () => {
    const vector = hashingEmbedding(' ... ');
    expect(vector.every((value) => value === 0)).toBe(true);
    expect(cosineSimilarity(vector, hashingEmbedding('sales'))).toBe(0);
  });
});

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('cosineSimilarity', () => {
  it('computes cosine for plain vectors', () => {
    expect(cosineSimilarity([1, 0], [1, 0])).toBe(1);
    expect(cosineSimilarity([1, 0], [0, 2])).toBe(0);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(24 / 25, 12);
  });

  it('refuses to compare vectors from different embedders', () => {
    expect(() => cosineSimilarity([1, 0, 0], [1, 0])).toThrow(/different dimensions \(3 vs 2\)/);
  });
});
