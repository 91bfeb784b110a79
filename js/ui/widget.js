// <sealdesk-widget>: the customer's launcher, layered consent, just-in-time prompts, chat and
// privacy dashboard, in a shadow root.
//
// First paint needs only this file, dom.js, styles.js and ../i18n.js: the first consent layer is
// painted from `texts` alone, before the desk (and its WebAssembly core) exists. Layer 2, the
// notice, prompts, chat and dashboard load on first use. Clicks made before attach(desk) wait for
// the desk and are applied in order once it is attached.
//
//   defineWidget();
//   const w = document.createElement('sealdesk-widget');
//   w.locale = 'zh-CN'; w.texts = localeFile.texts; w.policy = policyJson;
//   container.append(w);              // layer 1 is on screen now
//   w.attach(await deskPromise);      // queued choices are applied, chat and dashboard work
//
// Events (bubbling, composed, cancelable): 'sealdesk-capability' {capability, policyCapability}
// after the consent a capability needs is granted. Unless a listener calls preventDefault(), the
// widget then starts it itself on a desk that has it: a call (call.js, with `callOptions`) or a
// voice note recorder in the chat (voice.js, at most `voiceNoteMaxMs` long).
import { h, icon, lookup } from './dom.js';
import { styleSheet } from './styles.js';
import { detectLocale, LOCALES } from '../i18n.js';

export { detectLocale, LOCALES };

const CHAT_ICON = 'M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H8l-4 4V5a1 1 0 0 1 1-1z';

/** UI actions and the policy capability whose consent each needs (consent/policies/*.json). */
export const CAPABILITIES = { chat: 'chat.send', voice_note: 'call.voice', voice_call: 'call.voice', video_call: 'call.video' };

// Views other than layer 1 live in modules loaded on first use.
const load = {
  consent: () => import('./consent-views.js'),
  chat: () => import('./chat.js'),
  dashboard: () => import('./dashboard.js'),
  call: () => import('./call.js'),
};
const MODULE_OF = { layer2: 'consent', notice: 'consent', age: 'consent', guardian: 'consent', prompt: 'consent', chat: 'chat', dashboard: 'dashboard', call: 'call' };
const HOME_VIEWS = new Set(['layer1', 'chat', 'dashboard', 'call']);
const CALLS = { video_call: true, voice_call: false }; // capability -> video
const QUESTIONS = new Set(['age', 'guardian', 'prompt']);

const separate = (p) => !!(p.sensitive || p.cross_border || p.trains_models); // Purpose::needs_separate_consent()
const gpcOn = () => !!globalThis.navigator?.globalPrivacyControl;

/**
 * What "accept" on the first layer grants: the required purposes plus what starting a chat
 * needs (the policy's `session.connect` and `chat.send` capabilities, with their dependencies),
 * never a sensitive or cross-border purpose (those are asked alone) nor a Global Privacy
 * Control opt-out purpose. Voice, camera and the rest are asked just in time, when first used.
 * With the default policy: ['routing', 'chat'].
 */
export function firstLayerPurposes(policy, { gpc = gpcOn() } = {}) {
  const byId = new Map((policy?.purposes ?? []).map((p) => [p.id, p]));
  const caps = policy?.capabilities ?? {};
  const wanted = [...(caps['session.connect'] ?? []), ...(caps['chat.send'] ?? (byId.has('chat') ? ['chat'] : []))];
  const out = new Set([...byId.values()].filter((p) => p.required).map((p) => p.id));
  const add = (id) => {
    const p = byId.get(id);
    if (!p || out.has(id) || separate(p) || (gpc && p.gpc_opt_out)) return;
    for (const dep of p.depends_on ?? []) add(dep);
    out.add(id);
  };
  wanted.forEach(add);
  return [...out];
}

/** "Reject all": every purpose that is not required. */
export function optionalPurposes(policy) {
  return (policy?.purposes ?? []).filter((p) => !p.required).map((p) => p.id);
}

export class SealDeskWidget extends HTMLElement {
  static observedAttributes = ['locale'];

  /** The last consent state the desk reported (ConsentState), or null before attach. */
  state = null;
  /** 'customer' (the widget is the customer's UI); the desk's role wins once attached. */
  role = 'customer';
  /** The attached desk, or null. */
  desk = null;
  /** Passed through to desk.call.start (e.g. { fallbackAfterMs, network }) when the widget starts a call. */
  callOptions = null;
  /** The longest voice note the recorder takes (ms). */
  voiceNoteMaxMs = 120_000;

  #texts = {};
  #locale = 'en';
  #policy = null;
  #resolveDesk;
  #deskReady = new Promise((resolve) => (this.#resolveDesk = resolve));
  #view = 'layer1';
  #arg;
  #home = 'layer1';
  #lastPlain = ['layer1'];
  #open = true;
  #interacted = false;
  #pending = null; // resolver of the view waiting for an answer (ask)
  #offs = [];
  #modules = {};
  #shown = 0; // show() generation: a slow view load never replaces a newer view

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [styleSheet()];
    this.$launcherText = h('span');
    this.$launcher = h('button', { type: 'button', class: 'launcher', part: 'launcher', 'aria-controls': 'sd-panel', onclick: () => this.toggle() }, icon(CHAT_ICON), this.$launcherText);
    this.$tabs = h('div', { class: 'tabs' });
    this.$close = h('button', { type: 'button', class: 'close', part: 'close', onclick: () => this.close() }, '×');
    this.$view = h('div', { class: 'view', part: 'view' });
    this.$status = h('p', { class: 'status', role: 'status' });
    this.$capture = h('div', { class: 'capture', part: 'capture', hidden: true }); // what a call captures, shown even when the panel is closed
    this.$panel = h('section', { class: 'panel', part: 'panel', id: 'sd-panel', role: 'dialog', 'aria-labelledby': 'sd-title' },
      h('div', { class: 'head', part: 'header' }, this.$tabs, this.$close), this.$view, this.$status);
    this.$root = h('div', { class: 'root', part: 'root' }, this.$panel, this.$capture, this.$launcher);
    root.append(this.$root);
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.#open) {
        e.preventDefault();
        this.close();
      }
    });
  }

  /**
   * How the panel starts: 'auto' open on a first visit (the first layer asks) and closed once a
   * decision is stored; 'closed' behind the launcher until the visitor or the site opens it;
   * 'open' always open.
   */
  openMode = 'auto';

  connectedCallback() {
    if (this.hasAttribute('collapsed') || this.openMode === 'closed') this.#open = false;
    this.#render();
  }

  attributeChangedCallback(name, _old, value) {
    if (name === 'locale' && value && value !== this.#locale) this.locale = value;
  }

  // --- configuration ------------------------------------------------------------------------

  get locale() {
    return this.#locale;
  }
  /** 'en' | 'zh-CN' | 'zh-TW' (other tags are matched with detectLocale; 'auto' reads the browser). */
  set locale(tag) {
    const next = LOCALES.includes(tag) ? tag : detectLocale(tag === 'auto' || !tag ? undefined : [tag]);
    if (next === this.#locale) return;
    this.#locale = next;
    this.#render();
  }

  get texts() {
    return this.#texts;
  }
  /** The locale's texts (nested as in consent/locales/*.json, or flat dotted keys), overrides merged. */
  set texts(value) {
    const file = value && typeof value.texts === 'object' && typeof value.locale === 'string' ? value : null;
    this.#texts = (file ? file.texts : value) ?? {};
    if (file) this.locale = file.locale;
    this.#render();
  }

  get policy() {
    return this.#policy;
  }
  /** The consent policy (object or JSON text): layer 2 and the notice render from it alone. */
  set policy(value) {
    this.#policy = typeof value === 'string' ? JSON.parse(value) : value ?? null;
    if (this.#view !== 'chat') this.#render();
  }

  /** The view on screen: 'layer1', 'layer2', 'notice', 'age', 'guardian', 'prompt', 'chat', 'dashboard'. */
  get view() {
    return this.#view;
  }

  get open() {
    return this.#open;
  }

  /** Text for a key ('layer1.title', 'purposes.chat.title', ...), with {name} placeholders filled. */
  t(key, vars) {
    return lookup(this.#texts, key, vars);
  }

  purposeTitle(id) {
    return this.t(`purposes.${id}.title`) || id;
  }

  purpose(id) {
    return this.#policy?.purposes?.find((p) => p.id === id) ?? null;
  }

  // --- the desk -----------------------------------------------------------------------------

  /**
   * Connects the widget to a Desk (js/sealdesk.d.ts). Choices made before are applied now, in
   * the order they were made. Returns once the widget has read the desk's state.
   */
  async attach(desk) {
    if (this.desk) this.detach();
    this.#offs.push(
      desk.on('consent', (e) => {
        this.state = e.state ?? this.state;
        this.#consentChanged();
      }),
      desk.on('error', (e) => this.announce(this.errorText(e))),
      desk.on('data', () => this.#view === 'dashboard' && this.refresh()), // kept data changed
    );
    const [policy, state] = await Promise.all([this.#policy ?? desk.consent.policy(), desk.consent.state()]);
    this.#policy = policy;
    this.state = state;
    const chat = await this.chat(); // subscribes to messages, delivery, typing, session
    this.#offs.push(...chat.subscribe(desk));
    // Attached only now: queued choices run with the desk's state at hand (age, GPC, decisions).
    this.desk = desk;
    this.#resolveDesk(desk);
    // A returning visitor who already decided: no first layer, the panel waits behind the launcher.
    if (!this.#interacted && this.#view === 'layer1' && decided(state, policy)) {
      if (this.openMode !== 'open') this.#open = false;
      await this.show('chat', undefined, { focus: false });
    } else if (this.#view !== 'chat') {
      this.#render();
    }
  }

  /** Disconnects from the desk (its event subscriptions end). */
  detach() {
    for (const off of this.#offs.splice(0)) off?.();
    this.desk = null;
    this.#deskReady = new Promise((resolve) => (this.#resolveDesk = resolve));
  }

  /** Resolves with the desk once attached (at once when it is). */
  whenAttached() {
    return this.desk ? Promise.resolve(this.desk) : this.#deskReady;
  }

  /** The chat controller (loads chat.js). */
  async chat() {
    const mod = await this.#module('chat');
    return (this.#modules.chatPanel ??= new mod.ChatPanel(this));
  }

  /** The call controller (loads call.js on the first call). */
  async calls() {
    const mod = await this.#module('call');
    return (this.#modules.callPanel ??= new mod.CallPanel(this));
  }

  /** Starts a call from the widget ({ video }) and shows it; callOptions are passed through. */
  async startCall(options) {
    return (await this.calls()).start(options);
  }

  // --- panel and views ----------------------------------------------------------------------

  toggle() {
    if (this.#open) this.close();
    else this.openPanel();
  }

  openPanel() {
    this.#open = true;
    this.#chrome();
    this.#focusView();
  }

  close() {
    const focusInside = this.shadowRoot.activeElement !== null;
    this.#open = false;
    this.#chrome();
    if (focusInside) this.$launcher.focus(); // a site closing the panel does not move the page's focus
  }

  /** Shows a view; focus moves to its heading (or its [data-autofocus] element). */
  async show(name, arg, { focus = true } = {}) {
    const generation = ++this.#shown;
    if (this.#pending && name !== this.#view) this.#settle(null); // leaving a question cancels it
    this.#view = name;
    this.#arg = arg;
    if (HOME_VIEWS.has(name)) this.#home = name;
    if (!QUESTIONS.has(name)) this.#lastPlain = [name, arg];
    const node = await this.#build(name, arg);
    if (generation !== this.#shown) return;
    this.$view.replaceChildren(node);
    this.$view.dataset.view = name; // rendered (the view property changes before the module loads)
    this.#chrome();
    if (focus && this.#open) this.#focusView();
  }

  /** Back to the last main view (first layer, chat or dashboard). */
  back() {
    return this.show(this.#home === this.#view ? 'layer1' : this.#home);
  }

  /** Re-renders the current view in place; focus inside it returns to the element (or its
   *  nearest container) with the same data-key. */
  async refresh() {
    const active = this.shadowRoot.activeElement;
    const keys = [];
    for (let n = this.$view.contains(active) ? active : null; n && n !== this.$view; n = n.parentElement) if (n.dataset?.key) keys.push(n.dataset.key);
    const hadFocus = this.$view.contains(active);
    const generation = this.#shown;
    const node = await this.#build(this.#view, this.#arg);
    if (generation !== this.#shown) return;
    this.$view.replaceChildren(node);
    this.#chrome();
    if (hadFocus && !this.$view.contains(this.shadowRoot.activeElement)) this.#focusKey(keys);
  }

  #focusKey(keys) {
    for (const key of keys) {
      const el = this.$view.querySelector(`[data-key="${CSS.escape(key)}"]`);
      if (el) return el.focus();
    }
    this.#focusView();
  }

  /** Shows a view that answers a question; resolves with its answer, or null when left. */
  ask(name, arg = {}) {
    return new Promise((resolve) => {
      this.#settle(null);
      const done = (value) => {
        if (this.#pending === done) this.#pending = null;
        resolve(value);
      };
      // The view's cancel button: no answer, back to the view the questions started from.
      const cancel = () => {
        done(null);
        this.show(...this.#lastPlain);
      };
      this.show(name, { ...arg, done, cancel });
      this.#pending = done;
    });
  }

  #settle(value) {
    const pending = this.#pending;
    this.#pending = null;
    pending?.(value);
  }

  /** Says something through the polite live region. */
  announce(text) {
    this.$status.textContent = '';
    // A new text node after a tick is announced even when the text repeats.
    setTimeout(() => (this.$status.textContent = text), 30);
  }

  errorText(error) {
    const code = error?.code ?? 'ERROR';
    return this.t(`errors.${code}`) || this.t('ui.error', { code });
  }

  async #module(kind) {
    return (this.#modules[kind] ??= await load[kind]());
  }

  async #build(name, arg) {
    if (name === 'layer1') return this.#layer1();
    const mod = await this.#module(MODULE_OF[name]);
    return mod.views[name](this, arg);
  }

  #focusView() {
    (this.$view.querySelector('[data-autofocus]') ?? this.$view.querySelector('h2'))?.focus();
  }

  #render() {
    if (!this.isConnected) return;
    this.$root.setAttribute('lang', this.#locale);
    this.setAttribute('lang', this.#locale);
    if (this.#view === 'layer1') {
      this.$view.replaceChildren(this.#layer1());
      this.$view.dataset.view = 'layer1';
      this.#chrome();
    } else {
      this.refresh();
    }
  }

  /** Redraws the header, tabs and launcher (a call starting or ending adds or removes its tab). */
  chrome() {
    this.#chrome();
  }

  #chrome() {
    const t = (k) => this.t(k);
    this.$launcherText.textContent = t('ui.launcher');
    this.$launcher.setAttribute('aria-expanded', String(this.#open));
    this.$panel.hidden = !this.#open;
    this.$panel.setAttribute('aria-label', t('ui.panel_label'));
    this.$panel.setAttribute('aria-labelledby', 'sd-title');
    this.$close.setAttribute('aria-label', t('ui.close'));
    this.$close.title = t('ui.close');
    const tabs = HOME_VIEWS.has(this.#view) && this.#view !== 'layer1';
    const call = this.#modules.callPanel?.shown;
    this.$tabs.replaceChildren(
      ...(tabs
        ? [['chat', 'ui.tab_chat'], call && ['call', 'ui.tab_call'], ['dashboard', 'ui.tab_privacy']].filter(Boolean).map(([view, key]) =>
            h('button', { type: 'button', class: 'tab', part: `tab tab-${view}`, 'aria-current': view === this.#view ? 'page' : null, onclick: () => this.show(view) }, t(key)),
          )
        : [h('span', { class: 'brand', part: 'brand', text: t('ui.panel_label') })]),
    );
  }

  #layer1() {
    const t = (k) => this.t(k);
    const gpc = this.state?.gpc ?? gpcOn();
    return h('div', { class: 'layer1', part: 'layer layer1' },
      h('h2', { id: 'sd-title', tabindex: '-1', text: t('layer1.title') }),
      h('p', { text: t('layer1.body') }),
      gpc && h('p', { class: 'note', text: t('gpc.notice') }),
      this.desk?.consentReset && !this.#interacted && h('p', { class: 'note', part: 'consent-reset', role: 'alert', text: t('layer1.reset') }),
      h('div', { class: 'choices' },
        h('button', { type: 'button', class: 'choice', part: 'button choice accept', onclick: () => this.acceptFirstLayer() }, t('layer1.accept_all')),
        h('button', { type: 'button', class: 'choice', part: 'button choice reject', onclick: () => this.rejectAll() }, t('layer1.reject_all'))),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'btn', part: 'button customize', onclick: () => this.show('layer2') }, t('layer1.customize')),
        h('button', { type: 'button', class: 'link', part: 'link notice-link', onclick: () => this.show('notice') }, t('layer1.more'))));
  }

  #consentChanged() {
    if (this.#view === 'dashboard' || this.#view === 'layer2') this.refresh();
    this.#modules.chatPanel?.consentChanged();
  }

  // --- consent actions (buttons call these; the host may too) ------------------------------

  #context(method, guardian) {
    return guardian ? { collectionMethod: method, guardianConfirmed: true } : { collectionMethod: method };
  }

  async #policyOf(desk) {
    return (this.#policy ??= await desk.consent.policy());
  }

  #waiting() {
    if (!this.desk) this.announce(this.t('ui.loading'));
  }

  /** First layer "accept": grants firstLayerPurposes(policy), then shows the chat. */
  async acceptFirstLayer() {
    this.#interacted = true;
    this.#waiting();
    const desk = await this.whenAttached();
    const policy = await this.#policyOf(desk);
    if (await this.grant(firstLayerPurposes(policy, { gpc: this.state?.gpc ?? gpcOn() }), 'first-layer')) {
      this.announce(this.t('ui.saved'));
      await this.show('chat');
    }
  }

  /** First layer "reject all": denies every optional purpose, then shows the chat. */
  async rejectAll() {
    this.#interacted = true;
    this.#waiting();
    const desk = await this.whenAttached();
    const policy = await this.#policyOf(desk);
    if (await this.deny(optionalPurposes(policy), 'first-layer')) {
      this.announce(this.t('ui.saved'));
      await this.show('chat');
    }
  }

  /**
   * Grants purposes in one decision. Asks the age first when the policy has minor_age and none
   * was declared, and a guardian's confirmation while the person is a minor. false when the
   * person cancelled or the core refused (the refusal is announced).
   */
  async grant(purposes, method) {
    const desk = await this.whenAttached();
    try {
      const guardian = await this.#ageGate(desk, purposes);
      if (guardian === null) return false;
      this.state = await desk.consent.grant(purposes, this.#context(method, guardian));
      this.#consentChanged();
      return true;
    } catch (error) {
      this.announce(this.errorText(error));
      return false;
    }
  }

  /** Denies (or withdraws) purposes; what depends on them is withdrawn with them by the core. */
  async deny(purposes, method) {
    if (!purposes.length) return true;
    const desk = await this.whenAttached();
    try {
      this.state = await desk.consent.deny(purposes, this.#context(method));
      this.#consentChanged();
      return true;
    } catch (error) {
      this.announce(this.errorText(error));
      return false;
    }
  }

  // true: a guardian confirmed; false: not needed; null: cancelled.
  async #ageGate(desk, purposes) {
    const policy = await this.#policyOf(desk);
    if (!policy?.minor_age) return false;
    if (this.state?.declaredAge == null) {
      const years = await this.ask('age', { minorAge: policy.minor_age });
      if (years == null) return null;
      this.state = await desk.consent.declareAge(years, { guardian: false });
    }
    if (!this.state?.minor) return false;
    return (await this.ask('guardian', { purposes })) ? true : null;
  }

  /**
   * Layer 2 "save": the required purposes and the chosen ones that may be bundled are granted
   * together, the rest denied; each chosen sensitive or cross-border purpose then gets its own
   * prompt and its own decision.
   */
  async saveChoices(chosen) {
    this.#interacted = true;
    this.#waiting();
    const desk = await this.whenAttached();
    const policy = await this.#policyOf(desk);
    const gpc = this.state?.gpc ?? gpcOn();
    const usable = policy.purposes.filter((p) => !(gpc && p.gpc_opt_out));
    const bundle = usable.filter((p) => p.required || (chosen.has(p.id) && !separate(p))).map((p) => p.id);
    const refused = usable.filter((p) => !p.required && !chosen.has(p.id)).map((p) => p.id);
    if (!(await this.grant(bundle, 'second-layer')) || !(await this.deny(refused, 'second-layer'))) return false;
    for (const p of usable.filter((q) => chosen.has(q.id) && separate(q) && this.state?.purposes?.[q.id] !== 'granted')) {
      const answer = await this.ask('prompt', { purposes: [p.id], separate: true });
      if (answer === 'allow') await this.grant([p.id], 'separate-prompt');
      else if (answer === 'deny') await this.deny([p.id], 'separate-prompt');
      else return false;
    }
    this.announce(this.t('ui.saved'));
    await this.show('chat');
    return true;
  }

  /**
   * Just-in-time consent for a capability the customer is about to use ('voice_note',
   * 'video_call', or a policy capability such as 'call.screen_share'): asks each missing step of
   * the core's plan (sensitive and cross-border purposes alone), then dispatches
   * 'sealdesk-capability'. Resolves true when the capability may run.
   */
  async requestCapability(capability) {
    this.#interacted = true;
    this.#waiting();
    const desk = await this.whenAttached();
    const policyCapability = CAPABILITIES[capability] ?? capability;
    const from = this.#view;
    const key = `cap-${capability}`; // the button that asked gets focus back
    let plan;
    try {
      // Each round asks one step; the plan is read again after every decision.
      for (let round = 0; round < 8; round++) {
        plan = await desk.consent.plan(policyCapability);
        if (plan.allowed) break;
        if (plan.blocked?.length) {
          this.announce(this.t('jit.blocked'));
          return this.#returnTo(from, false, key);
        }
        const step = plan.steps?.[0];
        const choice = !step && plan.choices?.[0];
        if (!step && !choice) return this.#returnTo(from, false, key);
        const purposes = step ? step.purposes : choice.oneOf;
        const answer = await this.ask('prompt', { purposes, separate: !!step?.separate, choice: !step, capability });
        if (answer === 'deny') {
          const refuse = purposes.filter((id) => !this.purpose(id)?.required && this.state?.purposes?.[id] !== 'granted');
          await this.deny(step ? refuse : [], 'jit-prompt');
          this.announce(this.t('jit.denied'));
          return this.#returnTo(from, false, key);
        }
        if (answer == null) return this.#returnTo(from, false, key);
        const grant = step ? purposes : [answer.purpose];
        if (!(await this.grant(grant, step?.separate ? 'separate-prompt' : 'jit-prompt'))) return this.#returnTo(from, false, key);
      }
    } catch (error) {
      this.announce(this.errorText(error));
      return this.#returnTo(from, false, key);
    }
    if (!plan?.allowed) return this.#returnTo(from, false, key);
    await this.#returnTo(from, true, key);
    const event = new CustomEvent('sealdesk-capability', { bubbles: true, composed: true, cancelable: true, detail: { capability, policyCapability } });
    if (this.dispatchEvent(event)) this.#use(capability, desk); // runs on; requestCapability answers now
    return true;
  }

  // The widget runs what was allowed, where the desk has it (a page may preventDefault()).
  async #use(capability, desk) {
    try {
      if (capability in CALLS && desk.call?.start) await this.startCall({ video: CALLS[capability] });
      else if (capability === 'voice_note' && desk.voice?.record) await (await this.chat()).recordVoiceNote();
    } catch (error) {
      this.announce(this.errorText(error));
    }
  }

  async #returnTo(view, result, key) {
    if (this.#view !== view) await this.show(HOME_VIEWS.has(view) ? view : 'chat');
    if (key && this.#open) this.#focusKey([key]);
    return result;
  }
}

// The first layer counts as answered while what it asks for (chat, with the default policy) is
// granted or denied. Unset (never asked, re-asked after a policy change) or expired: ask again.
// Decisions the page made alone (Global Privacy Control) do not count.
function decided(state, policy) {
  const asked = firstLayerPurposes(policy, { gpc: !!state?.gpc }).filter((id) => !policy.purposes.find((p) => p.id === id)?.required);
  if (!asked.length) return Object.values(state?.decisions ?? {}).some((d) => d.reason === 'user');
  return asked.every((id) => state?.purposes?.[id] === 'granted' || state?.purposes?.[id] === 'denied');
}

/** Registers <sealdesk-widget> (once; returns the class). */
export function defineWidget(name = 'sealdesk-widget') {
  if (!customElements.get(name)) customElements.define(name, name === 'sealdesk-widget' ? SealDeskWidget : class extends SealDeskWidget {});
  return customElements.get(name);
}
