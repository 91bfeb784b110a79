// Localized facts about a purpose (durations, dates, countries, data categories), shared by the
// second layer, the notice, the prompts and the dashboard. Loaded after first paint.
import { h } from './dom.js';

const UNITS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
const ISO_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export const list = (items, locale) => new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);

/** 'P30D' -> '30 days' / '30天'; a zero duration -> ui.not_kept. */
export function duration(iso, w) {
  const m = ISO_DURATION.exec(iso ?? '');
  if (!m) return String(iso ?? '');
  const parts = UNITS.flatMap((unit, i) =>
    +m[i + 1] ? [new Intl.NumberFormat(w.locale, { style: 'unit', unit, unitDisplay: 'long' }).format(+m[i + 1])] : [],
  );
  return parts.length ? parts.join(' ') : w.t('ui.not_kept');
}

export const dateTime = (ms, w) => new Intl.DateTimeFormat(w.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

export function country(code, w) {
  try {
    return new Intl.DisplayNames([w.locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "Label: value", with the full-width colon in Chinese. */
export const labelled = (label, value, w) => `${label}${w.locale.startsWith('zh') ? '：' : ': '}${value}`;

export const category = (id, w) => w.t(`categories.${id}`) || id.replace(/_/g, ' ');

// "Name (processor, Singapore)"; Chinese punctuation in Chinese.
const party = (p, w) => {
  const zh = w.locale.startsWith('zh');
  const inner = [w.t(`roles.${p.role}`) || p.role, p.country && country(p.country, w)].filter(Boolean).join(zh ? '，' : ', ');
  return zh ? `${p.name}（${inner}）` : `${p.name} (${inner})`;
};

/** A <dl> of what the person agrees to for one purpose. */
export function facts(p, w) {
  const t = (k) => w.t(k);
  const rows = [
    [t('layer2.data_categories_label'), list((p.data_categories ?? []).map((c) => category(c, w)), w.locale)],
    p.sensitive && [t('layer2.sensitive_categories_label'), list((p.sensitive_categories ?? []).map((c) => category(c, w)), w.locale)],
    [t('layer2.retention_label'), duration(p.retention, w)],
    [t('layer2.validity_label'), duration(p.validity, w)],
    [t('layer2.third_parties_label'), p.third_parties?.length ? list(p.third_parties.map((q) => party(q, w)), w.locale) : t('ui.none')],
    p.cross_border && [t('cross_border.recipient_label'), p.cross_border.recipient],
    p.cross_border && [t('cross_border.countries_label'), list((p.cross_border.countries ?? []).map((c) => country(c, w)), w.locale)],
    p.cross_border?.safeguard && [t('cross_border.safeguard_label'), t(`safeguards.${p.cross_border.safeguard}`) || p.cross_border.safeguard],
  ];
  return h('dl', { part: 'facts' }, rows.filter(Boolean).map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]));
}

/** The flags shown beside a purpose: sensitive, cross-border. */
export function flags(p, w) {
  return [
    p.sensitive && h('span', { class: 'flag', part: 'flag flag-sensitive', text: w.t('layer2.sensitive_label') }),
    p.cross_border && h('span', { class: 'flag', part: 'flag flag-cross-border', text: w.t('layer2.cross_border_label') }),
  ];
}
