// The SealDesk SDK's public entry point (types: sealdesk.d.ts).
//
//   const desk = await SealDesk.create({ role: 'customer', relayUrl, agentKey, container });
//
// The page side is ergonomics only: it fetches the policy and locale texts, mounts the widget
// (which paints the first consent layer from those texts at once, before the WASM core has
// loaded), and starts the desk worker (js/desk/desk-worker.js), where the core, the keys and the
// relay socket live. Every call that reaches the core returns a Promise.
import { SealDeskError } from './errors.js';
import { detectLocale, LOCALES } from './i18n.js';
import { assetUrl, setAssetBase } from './assets.js';

export { SealDeskError, detectLocale };
// The WASM core is not imported here: it loads in the desk worker, so the first consent layer
// paints from this module, the widget and the texts alone (js/core.js is the core's own entry).

// Where the default policy and locale texts are fetched from: consent/ beside js/ in this
// repository; the npm package (js/pack.mjs) carries them inside and points this at ./consent/.
// CreateOptions.consentUrl overrides it (e.g. a CDN path on another origin).
const CONSENT_BASE = '../consent/';
// With assetUrl (a bundled app) they come from consent/ in the served package folder.
const consentBase = (options) => {
  if (options.consentUrl) return new URL(options.consentUrl, globalThis.location?.href);
  return options.assetUrl !== undefined ? assetUrl('consent/') : new URL(CONSENT_BASE, import.meta.url);
};


async function fetchJson(url, what) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw new SealDeskError('NOT_FOUND', `could not load the ${what}: ${e.message}`);
  }
  if (!response.ok) throw new SealDeskError('NOT_FOUND', `could not load the ${what} (HTTP ${response.status})`);
  try {
    return await response.json();
  } catch {
    throw new SealDeskError('POLICY_INVALID_JSON', `the ${what} is not valid JSON`);
  }
}

/** Dotted overrides ({ 'layer1.title': '…' }) merged into a copy of a locale's texts. */
function withOverrides(texts, overrides = {}) {
  const out = structuredClone(texts);
  for (const [path, value] of Object.entries(overrides)) {
    if (typeof value !== 'string') continue;
    const keys = path.split('.');
    let node = out;
    for (const k of keys.slice(0, -1)) node = node[k] && typeof node[k] === 'object' ? node[k] : (node[k] = {});
    node[keys.at(-1)] = value;
  }
  return out;
}

/**
 * The site's own controller and privacy-policy URL go into the policy (the shipped default names
 * neither: a notice must name who is responsible for the data, PIPL Art. 17). Checked before the
 * first layer paints, so no visitor sees a notice without them; the core validates the fields.
 */
function withSite(policy, { controller, privacyPolicyUrl }) {
  const site = { ...policy, ...(controller ? { controller } : {}), ...(privacyPolicyUrl ? { policy_url: privacyPolicyUrl } : {}) };
  const missing = [!site.controller && 'controller', !site.policy_url && 'privacyPolicyUrl'].filter(Boolean);
  if (missing.length) {
    throw new SealDeskError('CONTROLLER_REQUIRED', `the consent notice must name who is responsible for the data: pass ${missing.join(' and ')} to SealDesk.create() (controller: { name, contact, email, address, dpo: { name, contact } }), or a policy that has them`, { missing });
  }
  return site;
}

function validate(options) {
  const { role, relayUrl } = options ?? {};
  if (role !== 'customer' && role !== 'agent') throw new SealDeskError('INVALID_ARGUMENT', "role must be 'customer' or 'agent'");
  if (typeof relayUrl !== 'string' || !/^wss?:\/\//.test(relayUrl)) throw new SealDeskError('INVALID_ARGUMENT', 'relayUrl must be a ws:// or wss:// URL');
  if (role === 'customer' && typeof options.agentKey !== 'string') throw new SealDeskError('INVALID_ARGUMENT', "a customer needs the agent desk's public key (agentKey)");
  if (role === 'agent' && (typeof options.identity?.seed !== 'string' || typeof options.token !== 'string')) {
    throw new SealDeskError('INVALID_ARGUMENT', 'an agent needs identity.seed and the relay token');
  }
  if (options.open !== undefined && !OPEN_MODES.has(options.open)) throw new SealDeskError('INVALID_ARGUMENT', "open must be 'auto', 'closed' or 'open'");
  if (options.awayAfterMs !== undefined && !(Number.isFinite(options.awayAfterMs) && options.awayAfterMs >= 0)) {
    throw new SealDeskError('INVALID_ARGUMENT', 'awayAfterMs must be a number of milliseconds');
  }
}
const OPEN_MODES = new Set(['auto', 'closed', 'open']);

const isObject = (v) => v && typeof v === 'object' && !Array.isArray(v);
function deepMerge(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over ?? {})) out[k] = isObject(v) && isObject(base?.[k]) ? deepMerge(base[k], v) : v;
  return out;
}

/** Locale files an integrator passed, over the SDK's own (their tags may be new ones). */
function mergeLocales(ours, theirs) {
  const out = { ...ours };
  for (const [tag, file] of Object.entries(theirs)) {
    const parsed = typeof file === 'string' ? JSON.parse(file) : file;
    out[tag] = ours[tag] ? { ...ours[tag], ...parsed, texts: deepMerge(ours[tag].texts, parsed.texts) } : parsed;
  }
  return out;
}

async function fetchLocales(tags, base) {
  const LOCALE_TAGS = new Set(LOCALES);
  const known = tags.filter((t) => LOCALE_TAGS.has(t));
  return Object.fromEntries(await Promise.all(known.map(async (tag) => [tag, await fetchJson(new URL(`locales/${tag}.json`, base), `${tag} texts`)])));
}

async function mountWidget(container, { locale, texts, policy, role, open = 'auto' }) {
  const { defineWidget } = await import('./ui/widget.js');
  defineWidget();
  const widget = document.createElement('sealdesk-widget');
  widget.openMode = open;
  widget.role = role;
  widget.locale = locale;
  widget.texts = texts;
  widget.policy = policy;
  container.append(widget);
  return widget;
}

export const SealDesk = {
  /** @param {import('./sealdesk.d.ts').CreateOptions} options */
  async create(options) {
    validate(options);
    if (options.assetUrl !== undefined) setAssetBase(options.assetUrl);
    const { role } = options;
    const locale = !options.locale || options.locale === 'auto' ? detectLocale(globalThis.navigator?.languages ?? []) : options.locale;
    let policy = null;
    let locales = null;
    let widget = null;
    if (role === 'customer') {
      // The widget's first-paint modules, fetched alongside the texts (its own imports would only
      // be discovered once widget.js is parsed: one round trip more before the first layer).
      const widgetCode = options.container && role === 'customer' ? Promise.all([import('./ui/widget.js'), import('./ui/dom.js'), import('./ui/styles.js')]) : null;
      const policyText = typeof options.policy === 'string' ? JSON.parse(options.policy) : options.policy ?? fetchJson(new URL('policies/default.json', consentBase(options)), 'consent policy');
      // Only the shown locale before the first paint; the others (the engine hashes every
      // locale's notice) come after it.
      // An integrator's locales are merged over ours, so texts they did not write (new UI labels) still show.
      [policy, locales] = await Promise.all([policyText, fetchLocales(options.locales ? LOCALES : [locale], consentBase(options)), widgetCode]);
      policy = withSite(policy, options);
      if (options.locales) locales = mergeLocales(locales, options.locales);
      if (!locales[locale]) throw new SealDeskError('INVALID_ARGUMENT', `no texts for locale ${locale}`);
      if (options.texts) locales = { ...locales, [locale]: { ...locales[locale], texts: withOverrides(locales[locale].texts, options.texts) } };
    }
    if (options.container && role === 'customer') { // the widget is the customer's UI
      widget = await mountWidget(options.container, { locale, texts: locales?.[locale]?.texts, policy, role, open: options.open });
      // The frame after the one that laid the widget out: its first layer is on screen (the benchmark reads this mark).
      requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('sealdesk:first-layer')));
    }

    // Everything below loads after the first layer is on screen: the worker, the core, calls.
    if (widget) await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const [{ startDesk }, rest] = await Promise.all([
      import('./desk/desk-link.js'),
      role === 'customer' ? fetchLocales(LOCALES.filter((t) => !locales[t]), consentBase(options)) : {},
    ]);
    if (role === 'customer') locales = { ...rest, ...locales };
    let desk;
    try {
      desk = await startDesk({ options, role, locale, policy, locales, widget });
    } catch (e) {
      widget?.remove();
      throw e;
    }
    // Attached before create() resolves: the widget re-renders its view once the desk is there,
    // and a site (or a visitor) acting on "ready" must not click into a view being replaced.
    await widget?.attach(desk);
    performance.mark('sealdesk:interactive');
    return desk;
  },
};

if (typeof window !== 'undefined') window.SealDesk ??= SealDesk;
