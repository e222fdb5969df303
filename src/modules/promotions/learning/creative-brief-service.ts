import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AiProvider } from '../../../core/ai/index.js';
import { recordAudit } from '../../../core/audit/audit.js';
import { inTransaction, type ServiceContext } from '../../../core/context.js';
import { notFound, validationFailed } from '../../../core/errors.js';
import { getConfigValue, putConfig } from '../../../core/settings/settings-service.js';
import { getScenario, type ScenarioView } from '../planning/scenario-service.js';
import { creativeBriefs, opportunities, segments as segmentsTable } from '../schema.js';
import { daysBetween } from '../shared/dates.js';
import { loadValidationSettings } from './validation-settings.js';

export type CreativeBriefRow = typeof creativeBriefs.$inferSelect;

export const assetTypes = ['homepage_hero', 'email', 'social', 'in_store_poster'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);

/** The seed's brief shape; extra keys are kept. */
export const briefSchema = z
  .object({
    objectives: z.object({ primary: text(300), secondary: z.array(text(300)).max(10) }),
    target_audience: z.object({ segments: z.array(text(50)).max(50), demographics: text(500) }),
    key_messages: z.array(text(300)).min(1).max(10),
    tone: text(50),
    mandatory_elements: z.object({ legal: z.array(text(500)).max(20), brand: z.array(text(300)).max(20) }),
  })
  .catchall(z.unknown());

export const assetSchema = z
  .object({
    type: text(50),
    headline: text(200),
    subheadline: text(300),
    cta: text(100),
    product_focus: z.array(text(50)).max(20),
  })
  .catchall(z.unknown());

export const briefInput = z.object({ brief: briefSchema, assets: z.array(assetSchema).max(20) });
export type BriefInput = z.infer<typeof briefInput>;

export const brandSettingsKey = 'promotions.brand';

/** Legal and brand elements every brief must carry (core setting `promotions.brand`). */
export const brandSettingsSchema = z.object({
  brandName: z.string().trim().max(100).nullable(),
  legal: z.array(text(500)).max(20),
  brand: z.array(text(300)).max(20),
});
export type BrandSettings = z.infer<typeof brandSettingsSchema>;

export const defaultBrandSettings: BrandSettings = {
  brandName: null,
  legal: ['Terms and conditions apply.', 'While stocks last.', 'Prices include VAT.'],
  brand: ['Logo on every asset', 'Brand colours and typeface'],
};

export async function loadBrandSettings(ctx: ServiceContext): Promise<BrandSettings> {
  const stored = await getConfigValue<unknown>(ctx, brandSettingsKey, null);
  const parsed = brandSettingsSchema.partial().safeParse(stored ?? {});
  return { ...defaultBrandSettings, ...(parsed.success ? parsed.data : {}) };
}

export async function updateBrandSettings(ctx: ServiceContext, patch: unknown): Promise<BrandSettings> {
  const parsed = brandSettingsSchema.partial().strict().safeParse(patch);
  if (!parsed.success)
    throw validationFailed(
      'Some brand settings are invalid.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
    );
  const next = { ...(await loadBrandSettings(ctx)), ...parsed.data };
  await putConfig(ctx, brandSettingsKey, { value: next, description: 'Legal and brand elements of promotion briefs' });
  return next;
}

const toneByType: Record<string, string> = {
  conservative: 'reassuring',
  balanced: 'confident',
  aggressive: 'energetic',
  flash: 'urgent',
  best_deal: 'bold',
  coupon: 'friendly',
  member_only: 'exclusive',
};

const money = (n: number) => Math.round(n).toLocaleString('en-US');
const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} & ${items.at(-1)}`);
const monthName = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
const dayLabel = (date: string) => new Date(`${date}T00:00:00Z`).toLocaleString('en-US', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** The deterministic brief: everything comes from the scenario, its opportunity, its segments and the brand settings. */
export async function offlineBrief(ctx: ServiceContext, scenario: ScenarioView): Promise<BriefInput> {
  // One after another: inside a transaction the queries share one connection.
  const brand = await loadBrandSettings(ctx);
  const validation = await loadValidationSettings(ctx);
  const opportunity = scenario.sourceOpportunityId
    ? (
        await ctx.db
          .select()
          .from(opportunities)
          .where(and(eq(opportunities.organizationId, ctx.organization.id), eq(opportunities.id, scenario.sourceOpportunityId)))
      )[0]
    : undefined;
  const segmentIds = [...new Set(scenario.mechanics.flatMap((m) => m.segments ?? []).filter((s) => s !== 'ALL'))];
  const segmentRows = segmentIds.length
    ? (await ctx.db.select().from(segmentsTable).where(eq(segmentsTable.organizationId, ctx.organization.id))).filter((s) => segmentIds.includes(s.segmentId))
    : [];
  const departments = [...new Set(scenario.mechanics.map((m) => m.department))];
  const channels = [...new Set(scenario.mechanics.map((m) => m.channel))];
  const maxDiscount = Math.max(...scenario.mechanics.map((m) => m.discount_pct));
  const days = daysBetween(scenario.dateRangeStart, scenario.dateRangeEnd) + 1;
  const type = scenario.scenarioType ?? 'balanced';
  const kpis = scenario.currentKpis;
  const dates = `${dayLabel(scenario.dateRangeStart)} – ${dayLabel(scenario.dateRangeEnd)}`;
  const brandName = brand.brandName ?? ctx.organization.name;
  const upTo = `Up to ${maxDiscount}% off ${list(departments)}`;

  const primary = opportunity
    ? `Close the ${monthName(opportunity.month)} sales gap of ${money(opportunity.gapValue)} on ${opportunity.department} ${opportunity.channel}`
    : kpis
      ? `Add ${money(kpis.salesValueDelta)} of sales on ${list(departments)} between ${dates}`
      : `Grow ${list(departments)} sales between ${dates}`;
  const secondary = [
    `Keep margin at or above ${validation.marginFloorPct}%${kpis ? ` (forecast ${kpis.totalMarginPct}%)` : ''}`,
    ...channels.map((c) => (c === 'online' ? 'Drive online traffic and conversion' : 'Bring shoppers into the stores')),
    ...(type === 'member_only' ? ['Grow member sign-ups'] : []),
  ];
  const demographics = segmentRows.length
    ? segmentRows
        .map(
          (s) =>
            `${s.name}: ${Math.round(s.shareOfCustomers * 100)}% of customers, ${Math.round(s.shareOfRevenue * 100)}% of revenue, basket ${money(s.avgBasketValue)}` +
            `${s.discountSensitivity ? `, ${s.discountSensitivity} discount sensitivity` : ''}${s.favCategories?.length ? `, likes ${s.favCategories.join(', ')}` : ''}`,
        )
        .join('; ')
    : `All customers${channels.length === 1 ? ` shopping ${channels[0]}` : ''}`;
  const typeMessage: Record<string, string> = {
    flash: `Only ${days} day${days === 1 ? '' : 's'}`,
    member_only: 'Exclusive member pricing',
    coupon: 'Use your coupon at checkout',
    best_deal: 'Our best price of the season',
    aggressive: 'Biggest savings of the year',
    conservative: 'Great value on selected models',
    balanced: 'Limited time offer',
  };
  const keyMessages = [
    upTo,
    typeMessage[type] ?? 'Limited time offer',
    `${dates}${channels.length === 2 ? ', online and in store' : channels[0] === 'online' ? ', online only' : ', in store only'}`,
  ];
  const cta =
    type === 'member_only' ? 'Shop now – members only' : type === 'coupon' ? 'Get your coupon' : channels.includes('online') ? 'Shop now' : 'Find your store';
  const headline =
    type === 'member_only'
      ? `Member-exclusive ${list(departments)} sale`
      : type === 'flash'
        ? `${days}-day ${list(departments)} flash sale`
        : `${list(departments)} sale`;
  const asset = (assetType: (typeof assetTypes)[number], extra: Record<string, string>) => ({
    type: assetType,
    headline,
    subheadline: `Up to ${maxDiscount}% off selected ${list(departments)}, ${dates}`,
    cta,
    product_focus: departments,
    ...extra,
  });
  return {
    brief: {
      objectives: { primary, secondary },
      target_audience: { segments: segmentIds.length ? segmentIds : ['ALL'], demographics },
      key_messages: keyMessages,
      tone: toneByType[type] ?? 'confident',
      mandatory_elements: {
        legal: [...brand.legal, `Offer valid ${dates}${channels.length === 1 ? ` (${channels[0]})` : ''}.`],
        brand: [`${brandName}: ${brand.brand[0] ?? 'logo'}`, ...brand.brand.slice(1)],
      },
    },
    assets: [
      asset('homepage_hero', {}),
      asset('email', { subject_line: `${headline}: up to ${maxDiscount}% off` }),
      asset('social', { headline: `${upTo} – ${typeMessage[type] ?? 'limited time'}` }),
      asset('in_store_poster', { cta: channels.includes('offline') ? 'Ask in store' : 'Shop online now' }),
    ],
  };
}

async function modelBrief(ai: AiProvider, draft: BriefInput): Promise<{ input: BriefInput; by: string } | null> {
  const generated = await ai
    .generateText({
      purpose: 'promotions.brief',
      system:
        'You are a retail copywriter. Improve the wording of this promotion brief and its assets. Keep every number, date, segment and legal text exactly. Answer with JSON only, the same shape: {"brief": …, "assets": […]}.',
      prompt: JSON.stringify(draft),
      maxTokens: 1500,
      temperature: 0.4,
    })
    .catch(() => null);
  if (!generated || generated.producedWithoutModel) return null;
  const json = generated.text.slice(generated.text.indexOf('{'), generated.text.lastIndexOf('}') + 1);
  try {
    const parsed = briefInput.safeParse(JSON.parse(json));
    if (!parsed.success) return null;
    // Legal and brand elements are not the model's to change.
    parsed.data.brief.mandatory_elements = draft.brief.mandatory_elements;
    return { input: parsed.data, by: `${generated.provider}${generated.model ? `:${generated.model}` : ''}`.slice(0, 100) };
  } catch {
    return null;
  }
}

async function existingBrief(ctx: ServiceContext, scenarioId: string): Promise<CreativeBriefRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(creativeBriefs)
    .where(and(eq(creativeBriefs.organizationId, ctx.organization.id), eq(creativeBriefs.scenarioId, scenarioId)))
    .orderBy(desc(creativeBriefs.updatedAt))
    .limit(1);
  return row;
}

async function saveBrief(ctx: ServiceContext, scenarioId: string, input: BriefInput, generatedBy: string, action: string): Promise<CreativeBriefRow> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const before = await existingBrief(tx, scenarioId);
    const [row] = before
      ? await tx.db
          .update(creativeBriefs)
          .set({ brief: input.brief, assets: input.assets, generatedBy, updatedAt: now })
          .where(and(eq(creativeBriefs.organizationId, tx.organization.id), eq(creativeBriefs.id, before.id)))
          .returning()
      : await tx.db
          .insert(creativeBriefs)
          .values({ organizationId: tx.organization.id, scenarioId, brief: input.brief, assets: input.assets, generatedBy, createdAt: now, updatedAt: now })
          .returning();
    await recordAudit(tx, { action, entityType: 'creative_briefs', entityId: row.id, before, after: row });
    return row;
  });
}

/** Drafts (or re-drafts) the scenario's brief: the offline template, or a configured language model's wording of it. */
export async function draftCreativeBrief(ctx: ServiceContext, scenarioId: string, options: { ai?: AiProvider } = {}): Promise<CreativeBriefRow> {
  const scenario = await getScenario(ctx, scenarioId);
  const draft = await offlineBrief(ctx, scenario);
  const fromModel = options.ai && options.ai.name !== 'offline' ? await modelBrief(options.ai, draft) : null;
  return saveBrief(ctx, scenarioId, fromModel?.input ?? draft, fromModel?.by ?? 'offline', 'promotions.brief.drafted');
}

export async function getCreativeBrief(ctx: ServiceContext, scenarioId: string): Promise<CreativeBriefRow> {
  await getScenario(ctx, scenarioId);
  const row = await existingBrief(ctx, scenarioId);
  if (!row) throw notFound('Creative brief of scenario', scenarioId);
  return row;
}

/** A person's edit: the whole brief and assets, validated; generated_by becomes 'edited'. */
export async function updateCreativeBrief(ctx: ServiceContext, scenarioId: string, input: BriefInput): Promise<CreativeBriefRow> {
  await getScenario(ctx, scenarioId);
  const parsed = briefInput.safeParse(input);
  if (!parsed.success)
    throw validationFailed(
      'The brief is not valid.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return saveBrief(ctx, scenarioId, parsed.data, 'edited', 'promotions.brief.edited');
}
