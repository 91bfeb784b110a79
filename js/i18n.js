// The widget's locales and the browser-language match. Traditional Chinese for Taiwan, Hong Kong,
// Macau and any zh-Hant tag; every other Chinese tag gets Simplified; English otherwise.
export const LOCALES = ['en', 'zh-CN', 'zh-TW'];

/** @param {readonly string[]} languages e.g. navigator.languages @returns {'en'|'zh-CN'|'zh-TW'} */
export function detectLocale(languages = []) {
  for (const raw of languages) {
    const tag = String(raw).toLowerCase();
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) {
      return /^zh-(tw|hk|mo|hant)\b/.test(tag) ? 'zh-TW' : 'zh-CN';
    }
  }
  return 'en';
}
