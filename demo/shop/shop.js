// The demo shop embeds the customer widget. The relay URL and the agent desk's public key come
// from the demo server (/demo/config.json); `?relay=`, `?locale=`, `?storage=`, `?open=` and `?away=` (ms) override
// them (the browser tests use these). The shop's own "Chat with us" button opens the panel.
import { SealDesk } from '../../js/sealdesk.js';

const status = document.getElementById('desk-status');
const params = new URLSearchParams(location.search);
try {
  const config = await (await fetch('../config.json')).json();
  window.desk = await SealDesk.create({
    role: 'customer',
    relayUrl: params.get('relay') ?? config.relayUrl,
    agentKey: config.agentKey,
    locale: params.get('locale') ?? 'auto',
    storageName: params.get('storage') ?? 'sealdesk',
    container: document.getElementById('sealdesk'),
    open: params.get('open') ?? 'auto',
    ...(params.has('away') ? { awayAfterMs: Number(params.get('away')) } : {}),
    // The demo shop's own details: a real site names itself here (the default policy names no one).
    controller: {
      name: 'SealDesk Demo Shop (a demo, not a real company)',
      contact: 'Privacy Office',
      email: 'privacy@demo.sealdesk.invalid',
      dpo: { name: 'Data Protection Officer', contact: 'dpo@demo.sealdesk.invalid' },
    },
    privacyPolicyUrl: `${location.origin.startsWith('https:') ? location.origin : 'https://demo.sealdesk.invalid'}/privacy`,
  });
  const contact = document.getElementById('contact');
  contact.disabled = false;
  contact.addEventListener('click', () => window.desk.open());
  status.textContent = 'Support widget ready.';
  status.dataset.state = 'ready';
} catch (error) {
  status.textContent = `The support widget failed to start: ${error.message}`;
  status.dataset.state = 'failed';
  throw error;
}
