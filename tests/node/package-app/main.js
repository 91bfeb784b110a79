// A tiny app that imports the package, bundled with esbuild by tests/node/package.test.mjs.
import { SealDesk, SealDeskError, detectLocale } from 'sealdesk';
import policy from 'sealdesk/consent/policies/default.json' with { type: 'json' };
import en from 'sealdesk/consent/locales/en.json' with { type: 'json' };

export const check = {
  create: typeof SealDesk.create,
  errorIsClass: new SealDeskError('INVALID_ARGUMENT', 'x') instanceof Error,
  locale: detectLocale(['zh-TW']),
  policyVersion: policy.version,
  enLocale: en.locale,
};

const controller = { name: 'Tiny App Ltd.', contact: 'Privacy team', dpo: { name: 'Li Na', contact: 'dpo@tiny.example' } };

// assetUrl: where the site serves the package folder (the bundle holds the page modules only).
export function start(container, relayUrl, agentKey, assetUrl) {
  return SealDesk.create({ role: 'customer', relayUrl, agentKey, container, policy, locales: { en }, controller, privacyPolicyUrl: 'https://tiny.example/privacy', assetUrl, locale: 'en' });
}
