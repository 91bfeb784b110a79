// Browser-language detection for the widget's three locales.

export const LOCALES = ['en', 'zh-CN', 'zh-TW'];

/**
 * The first supported locale in the visitor's preference order (navigator.languages), matched
 * by script and region for Chinese: zh-Hant, zh-TW, zh-HK, zh-MO -> zh-TW; zh, zh-Hans, zh-CN,
 * zh-SG -> zh-CN (an explicit script wins over the region); any en-* -> en. Unsupported languages are skipped; nothing matches -> 'en'.
 * @param {readonly string[]|string} [languages]
 */
export function detectLocale(languages = globalThis.navigator?.languages ?? []) {
  for (const raw of typeof languages === 'string' ? [languages] : languages) {
    const tag = String(raw).toLowerCase().replace(/_/g, '-');
    const [lang, ...rest] = tag.split('-');
    if (lang === 'zh') {
      if (rest.includes('hant')) return 'zh-TW';
      if (rest.includes('hans')) return 'zh-CN'; // script beats region: zh-Hans-HK reads simplified
      return rest.some((s) => s === 'tw' || s === 'hk' || s === 'mo') ? 'zh-TW' : 'zh-CN';
    }
    if (lang === 'en') return 'en';
  }
  return 'en';
}
