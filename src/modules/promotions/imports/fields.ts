import { normalizeHeader } from '../../../core/imports/tabular-grid.js';

export const importKinds = ['sales', 'promo-catalog', 'targets', 'segments'] as const;
export type ImportKind = (typeof importKinds)[number];

export interface FieldSpec {
  field: string;
  required: boolean;
  /** Headers that name this field in the exports people actually have (English and German), normalized. */
  synonyms: string[];
  description: string;
}

const spec = (field: string, required: boolean, description: string, synonyms: string[]): FieldSpec => ({
  field,
  required,
  description,
  synonyms: [...new Set([field, ...synonyms].map(normalizeHeader))],
});

export const importFields: Record<ImportKind, FieldSpec[]> = {
  sales: [
    spec('date', true, 'day of the sales (ISO, d/m/y, m/d/y, d.m.y or an Excel date)', [
      'Datum',
      'Order Date',
      'Sales Date',
      'Day',
      'Tag',
      'Transaction Date',
      'Verkaufsdatum',
      'Buchungsdatum',
      'Date of Sale',
    ]),
    spec('channel', true, 'online or offline', ['Kanal', 'Vertriebskanal', 'Sales Channel', 'Channel Type']),
    spec('department', true, 'department or category (up to 50 characters)', [
      'Abteilung',
      'Category',
      'Kategorie',
      'Warengruppe',
      'Dept',
      'Department Name',
      'Product Category',
      'Bereich',
      'Sortiment',
    ]),
    spec('promo_flag', false, 'promotion day (TRUE/FALSE); when absent, a discount above 0 marks a promotion', [
      'Promo',
      'Promotion',
      'Is Promo',
      'On Promotion',
      'Aktion',
      'Promo Day',
      'promo_day',
    ]),
    spec('discount_pct', false, 'discount in % (20) or as a fraction (0.2)', [
      'Rabatt',
      'Discount',
      'Discount %',
      'Rabatt %',
      'Discount Pct',
      'Discount Percent',
      'Nachlass',
      'Preisnachlass',
    ]),
    spec('sales_value', true, 'sales (revenue)', [
      'Umsatz',
      'Sales',
      'Revenue',
      'Net Sales',
      'Umsatz Netto',
      'Nettoumsatz',
      'Erlös',
      'Turnover',
      'Sales Amount',
    ]),
    spec('margin_value', true, 'margin (gross profit) in money', [
      'Profit',
      'Marge',
      'Margin',
      'Gross Margin',
      'Rohertrag',
      'Deckungsbeitrag',
      'Gross Profit',
      'Gewinn',
    ]),
    spec('units', true, 'units sold (whole number)', ['Menge', 'Quantity', 'Qty', 'Stück', 'Stueck', 'Units Sold', 'Anzahl', 'Absatz', 'Volume']),
  ],
  'promo-catalog': [
    spec('promo_name', false, 'name of the promotion', ['Promo', 'Promotion', 'Name', 'Aktion', 'Kampagne', 'Campaign', 'Promo Name', 'Aktionsname']),
    spec('date_start', true, 'first day', ['Start', 'Start Date', 'Von', 'Beginn', 'From', 'Startdatum', 'Date From']),
    spec('date_end', true, 'last day', ['End', 'End Date', 'Bis', 'Ende', 'To', 'Enddatum', 'Date To']),
    spec('departments', false, 'departments, separated by ; or ,', [
      'Abteilungen',
      'Departments',
      'Categories',
      'Kategorien',
      'Department',
      'Abteilung',
      'Warengruppen',
    ]),
    spec('channels', false, 'channels, separated by ; or ,', ['Kanäle', 'Kanaele', 'Channels', 'Channel', 'Kanal']),
    spec('avg_discount_pct', false, 'average discount in % or as a fraction', [
      'Rabatt',
      'Discount',
      'Avg Discount',
      'Average Discount',
      'Durchschnittsrabatt',
      'Discount %',
    ]),
    spec('mechanics', false, 'mechanic as JSON or text', ['Mechanik', 'Mechanic', 'Mechanism', 'Type', 'Typ', 'Aktionstyp']),
  ],
  targets: [
    spec('month', true, 'month as YYYY-MM or a date in it', ['Monat', 'Period', 'Periode', 'Month Year']),
    spec('geo', true, 'geography code (up to 10 characters)', ['Region', 'Country', 'Land', 'Market', 'Markt', 'Geography']),
    spec('sales_value_target', true, 'sales target', ['Umsatzziel', 'Sales Target', 'Target Sales', 'Ziel Umsatz', 'Target', 'Plan Umsatz', 'Budget']),
    spec('margin_pct_target', true, 'margin target in % or as a fraction', [
      'Margenziel',
      'Margin Target',
      'Target Margin',
      'Ziel Marge',
      'Margin Pct Target',
      'Plan Marge',
    ]),
    spec('units_target', false, 'units target', ['Mengenziel', 'Units Target', 'Target Units', 'Ziel Menge']),
    spec('department', false, 'department the target is for (empty: all)', ['Abteilung', 'Category', 'Kategorie', 'Warengruppe', 'Dept']),
    spec('channel', false, 'online or offline (empty: both)', ['Kanal', 'Sales Channel']),
  ],
  segments: [
    spec('segment_id', true, 'segment code', ['Segment', 'Segment Code', 'Segment Key', 'ID', 'Code']),
    spec('name', true, 'segment name', ['Segment Name', 'Bezeichnung', 'Label', 'Description']),
    spec('share_of_customers', true, 'share of customers, fraction or %', ['Kundenanteil', 'Customer Share', 'Share Customers', '% Customers']),
    spec('share_of_revenue', true, 'share of revenue, fraction or %', ['Umsatzanteil', 'Revenue Share', 'Share Revenue', '% Revenue']),
    spec('avg_basket_value', true, 'average basket value', [
      'Warenkorb',
      'Avg Basket',
      'Average Basket',
      'AOV',
      'Durchschnittlicher Warenkorb',
      'Basket Value',
    ]),
    spec('fav_categories', false, 'favourite categories, separated by ; or ,', [
      'Lieblingskategorien',
      'Favourite Categories',
      'Favorite Categories',
      'Top Categories',
      'Categories',
    ]),
    spec('discount_sensitivity', false, 'low, medium or high', [
      'Rabattsensitivität',
      'Rabattsensitivitaet',
      'Discount Sensitivity',
      'Price Sensitivity',
      'Sensitivity',
    ]),
    spec('purchase_frequency', false, 'purchases per period', ['Kauffrequenz', 'Purchase Frequency', 'Frequency', 'Frequenz']),
    spec('last_purchase_days_ago', false, 'days since the last purchase', ['Recency', 'Days Since Last Purchase', 'Tage seit Kauf', 'Last Purchase Days']),
  ],
};

export function fieldSpec(kind: ImportKind, field: string): FieldSpec | undefined {
  return importFields[kind].find((f) => f.field === field);
}
