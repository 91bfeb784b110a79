// The documented API (README, DESIGN.md "Public JS contract", sealdesk.d.ts) as an integrator
// writes it in TypeScript against the installed package. Checked with tsc --noEmit --strict by
// tests/node/package.test.mjs; never run.
import { SealDesk, SealDeskError, detectLocale } from 'sealdesk';
import type { ChatMessage, ConsentState, Controller, CreateOptions, Desk, Finding, SealDeskCommand, SessionInfo } from 'sealdesk';
import { SealDeskError as ErrorsSealDeskError } from 'sealdesk/errors';
import type { SealDeskWidget } from 'sealdesk/ui/widget';
import 'sealdesk/loader';

export async function customer(relayUrl: string, agentKey: string, container: HTMLElement): Promise<void> {
  const controller: Controller = { name: 'Tiny App Ltd.', contact: 'Privacy team', email: 'privacy@tiny.example', dpo: { name: 'Li Na', contact: 'dpo@tiny.example' } };
  const options: CreateOptions = { role: 'customer', relayUrl, agentKey, container, locale: detectLocale(navigator.languages), consentUrl: '/static/sealdesk/consent/', open: 'closed', controller, privacyPolicyUrl: 'https://tiny.example/privacy' };
  const desk: Desk = await SealDesk.create(options);
  // The site's own "Chat with us" button opens the panel.
  const opened: boolean = await desk.open();
  if (opened) await desk.close();
  await desk.toggle();
  const state: ConsentState = await desk.consent.state();
  const chat: 'granted' | 'denied' | 'unset' | 'expired' | undefined = state.purposes.chat;
  if (chat !== 'granted') await desk.consent.grant(['chat']);
  const { text, findings } = await desk.pii.mask('my phone is 13800138000');
  const first: Finding | undefined = findings[0];
  console.log(text, first?.type, first?.start, first?.end, first?.style);
  try {
    const sent: ChatMessage = await desk.chat.send('hello');
    console.log(sent.id, sent.text);
  } catch (e) {
    if (e instanceof SealDeskError && e.code === 'CONSENT_REQUIRED') console.log(e.message, e.details.purpose);
    else throw e;
  }
  const off: () => void = desk.on('message', (m) => console.log(m.from, m.text));
  desk.on('consent', (e) => console.log(e.state.purposes, e.changes.length));
  desk.on('call', (c) => console.log(c));
  desk.on('error', (err) => console.log(err.code));
  off();
  await desk.consent.revoke(['chat']);
  const receipts = await desk.consent.receipts();
  console.log(receipts.map((r) => r.hash));
  const info: SessionInfo = await desk.session.info();
  console.log(info.safetyCode);
  // A widget of one's own names what keeps the visitor from support.
  if (info.problem?.code === 'RELAY_UNREACHABLE') console.log(Math.ceil((info.problem.retryAt - Date.now()) / 1000));
  else if (info.problem) console.log(info.problem.code, info.problem.stopped);
  desk.on('delivery', (d) => console.log(d.id, d.state, d.reason ?? ''));
  const err = new SealDeskError('INVALID_ARGUMENT', 'example', { field: 'relayUrl' });
  const same: boolean = err instanceof ErrorsSealDeskError && err instanceof Error;
  console.log(same);
  await desk.destroy();
}

export async function agent(relayUrl: string, seed: string, token: string, container: HTMLElement): Promise<void> {
  const desk = await SealDesk.create({ role: 'agent', relayUrl, identity: { seed }, token, container });
  desk.on('queue', ({ sessions }) => sessions.forEach((s) => console.log(s.session, s.online)));
  const waiting = await desk.sessions.list();
  const id = waiting[0]?.session;
  if (id) {
    await desk.sessions.accept(id);
    desk.on('message', (m) => console.log(m.session, m.text, m.findings.length));
    await desk.chat.send('How can I help?', { session: id });
  }
}

export function loaderQueue(): void {
  const command: SealDeskCommand = window.sealdesk;
  void command('create', { role: 'customer', relayUrl: 'wss://relay.example.com', agentKey: 'k', container: '#support', controller: { name: 'Tiny App Ltd.', contact: 'Privacy team', dpo: { name: 'Li Na', contact: 'dpo@tiny.example' } }, privacyPolicyUrl: 'https://tiny.example/privacy' });
  void command('on', 'message', (m) => console.log(m));
  void command('consent.grant', ['chat']);
  void command('open');
}

export function widgetType(w: SealDeskWidget | null): void {
  console.log(w);
}

// The declarations are not `any`: misuse is an error.
export async function misuse(desk: Desk): Promise<void> {
  // @ts-expect-error a message is a string
  await desk.chat.send(42);
  // @ts-expect-error role is 'customer' or 'agent'
  await SealDesk.create({ role: 'visitor', relayUrl: 'wss://x' });
  // @ts-expect-error open is 'auto', 'closed' or 'open'
  await SealDesk.create({ role: 'customer', relayUrl: 'wss://x', agentKey: 'k', open: true });
  // @ts-expect-error no such event
  desk.on('bogus', () => {});
}
