// The chat view: messages rendered as text (masked spans highlighted), delivery state per
// message, typing indicator, connection state and safety code, and a composer that previews
// exactly what leaves the page (the core's masking) before it is sent.
import { h, icon } from './dom.js';
import { CAMERA, MIC, PHONE } from './icons.js';

const PREVIEW_DELAY_MS = 120;
const TYPING_EVERY_MS = 3000; // desk.chat.typing() at most this often while typing
const TYPING_SHOWN_MS = 4000; // the other side's indicator stays this long after its last event
const REFUSED = new Set(['CONSENT_REQUIRED', 'CONSENT_EXPIRED']);
const VOICE_NOTE = new Set(['voice-note', 'voice_note']);
const SENT = new Set(['sent', 'delivered']);

/**
 * Text with the masked findings (UTF-16 offsets maskedStart/maskedEnd in `text`) wrapped in
 * <mark>. Offsets that do not fit (overlapping, out of range) leave that span unmarked: the
 * text itself is always shown whole, as text.
 */
export function maskedNodes(text, findings, w) {
  const out = [];
  let at = 0;
  const spans = (findings ?? [])
    .filter((f) => Number.isInteger(f?.maskedStart) && Number.isInteger(f?.maskedEnd))
    .sort((a, b) => a.maskedStart - b.maskedStart);
  for (const f of spans) {
    if (f.maskedStart < at || f.maskedEnd <= f.maskedStart || f.maskedEnd > text.length) continue;
    if (f.maskedStart > at) out.push(text.slice(at, f.maskedStart));
    const label = w.t(`pii.${f.type}`) || String(f.type);
    out.push(h('mark', { part: 'pii', 'data-type': f.type, title: label }, text.slice(f.maskedStart, f.maskedEnd)));
    at = f.maskedEnd;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

export class ChatPanel {
  messages = []; // { id, from, text, findings, at }
  #byId = new Map();
  #nodes = new Map(); // id -> { li, meta }
  #deliveries = new Map(); // id -> state (a delivery may arrive before send() resolves)
  #session = null;
  #deleted = false; // a privacy-mode conversation ended: its messages were dropped
  #error = null;
  #draft = '';
  #preview = null; // { source, text, findings }
  #previewTimer = 0;
  #lastTyping = 0;
  #typingTimer = 0;
  #problemTimer = 0;
  #sending = false;
  #recorder = null; // the voice note being recorded (voice.js), kept across re-renders
  #progress = new Map(); // message id -> { done, total } while an attachment is sealed
  #leave = { text: '', contact: '', error: null, sending: false, done: null }; // the away form

  constructor(w) {
    this.w = w;
  }

  /** Subscribes to the desk's chat events; returns the unsubscribe functions. */
  subscribe(desk) {
    desk.session.info().then((s) => this.#sessionChanged(s), () => {});
    return [
      desk.on('message', (m) => this.#received(m)),
      desk.on('delivery', (d) => this.#delivered(d)),
      desk.on('typing', (e) => this.#typing(e)),
      desk.on('session', (s) => this.#sessionChanged(s)),
      desk.on('progress', (p) => this.#progressed(p)),
    ];
  }

  get #role() {
    return this.w.desk?.role ?? this.w.role;
  }

  render() {
    const w = this.w;
    const t = (k, v) => w.t(k, v);
    this.#nodes.clear();
    this.$list = h('ol', { class: 'msgs' }, this.messages.map((m) => this.#bubble(m)));
    this.$log = h('div', { class: 'log', part: 'messages', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': t('chat.messages_label'), tabindex: '0' }, this.$list);
    this.$conn = h('span', { part: 'connection' });
    this.$problem = h('p', { class: 'error', part: 'problem', hidden: true });
    this.$safety = h('details', { part: 'safety-code', class: 'small' });
    // Privacy mode (customers): one way, so the button says what it does before it is pressed.
    this.$privacy = h('p', { class: 'privacy small', part: 'privacy', 'aria-live': 'polite', hidden: true }); // the panel has one role=status
    this.$privacyButton = h('button', {
      type: 'button', class: 'btn', part: 'button privacy-mode', 'data-key': 'privacy-mode', title: t('chat.privacy_mode_help'),
      'aria-describedby': 'sd-privacy-help', hidden: this.#role !== 'customer', onclick: () => this.#enablePrivacy(),
    }, t('chat.privacy_mode'));
    this.$privacyHelp = h('span', { id: 'sd-privacy-help', class: 'sr-only', text: t('chat.privacy_mode_help') });
    this.$typing = h('p', { class: 'typing', part: 'typing', 'aria-live': 'polite' });
    // Away (customers): nobody accepted in time; a message may be left for support.
    this.$away = h('section', { class: 'away', part: 'away', 'aria-labelledby': 'sd-away-title', hidden: true });
    this.$input = h('textarea', {
      id: 'sd-input', part: 'input', rows: '2', placeholder: t('chat.placeholder'), 'aria-describedby': 'sd-preview', 'data-key': 'input',
      oninput: () => this.#typed(),
      onkeydown: (e) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          this.send();
        }
      },
    });
    this.$input.value = this.#draft;
    this.$preview = h('div', { class: 'preview', part: 'preview', id: 'sd-preview', hidden: true });
    this.$error = h('div', { class: 'error', part: 'error', role: 'alert', hidden: true });
    this.$recorder = h('div', { hidden: true });
    const tool = (capability, path, label) =>
      h('button', { type: 'button', class: 'btn icon', part: `button ${capability}`, 'aria-label': label, title: label, 'data-key': `cap-${capability}`, onclick: () => w.requestCapability(capability) }, icon(path));
    const node = h('div', { part: 'chat' },
      h('h2', { id: 'sd-title', tabindex: '-1', text: t('chat.title') }),
      h('p', { class: 'conn' }, this.$conn),
      this.$problem,
      this.$privacy,
      this.$safety,
      this.$away,
      this.$log,
      this.$typing,
      h('form', { part: 'composer', onsubmit: (e) => (e.preventDefault(), this.send()) },
        h('label', { for: 'sd-input', class: 'small', text: t('chat.input_label') }),
        this.$input,
        this.$preview,
        this.$error,
        this.$recorder,
        h('div', { class: 'tools' },
          tool('voice_note', MIC, t('chat.voice_note')),
          tool('voice_call', PHONE, t('chat.voice_call')),
          tool('video_call', CAMERA, t('chat.video_call')),
          this.$privacyButton,
          this.$privacyHelp,
          h('button', { type: 'submit', class: 'btn primary', part: 'button send', 'data-key': 'send' }, t('chat.send')))));
    this.#showSession();
    this.#showPreview();
    this.#showError();
    this.#showRecorder();
    return node;
  }

  // --- voice notes ----------------------------------------------------------------------

  /**
   * Records a voice note in the composer (the widget calls this once the voice consent is
   * granted): level meter, time against the maximum, discard, send. Resolves once the
   * microphone is live (or the attempt failed, which the recorder shows).
   */
  async recordVoiceNote() {
    const w = this.w;
    if (this.#recorder && !this.#recorder.over) return this.#recorder.$send?.focus();
    const { VoiceRecorder } = await import('./voice.js');
    const recorder = new VoiceRecorder({ w, maxMs: w.voiceNoteMaxMs, onEnd: (r, message, options) => this.#recorderEnded(r, options) });
    this.#recorder = recorder;
    if (w.view !== 'chat') await w.show('chat', undefined, { focus: false });
    this.#showRecorder();
    await recorder.start();
  }

  /** The recorder on screen, if any (tests and hosts read its state). */
  get recorder() {
    return this.#recorder;
  }

  #recorderEnded(recorder, { dismiss = false } = {}) {
    if (recorder !== this.#recorder) return;
    // A withdrawal or a failure stays on screen, said in words, until closed.
    if (!dismiss && (recorder.state === 'revoked' || recorder.state === 'failed')) return;
    const active = this.w.shadowRoot.activeElement;
    const focusBack = !active || this.$recorder?.contains(active);
    this.#recorder = null;
    this.#showRecorder();
    if (focusBack) this.$log?.closest('[part~=chat]')?.querySelector('[data-key="cap-voice_note"]')?.focus();
  }

  #showRecorder() {
    if (!this.$recorder) return;
    const r = this.#recorder;
    this.$recorder.hidden = !r;
    this.$recorder.replaceChildren(...(r ? [r.render()] : []));
  }

  #progressed(p) {
    if (!p?.id || !(p.total > 0)) return;
    this.#progress.set(p.id, { done: p.done, total: p.total });
    this.#recorder?.progressed(p);
    this.#showProgress(p.id);
  }

  // An own attachment's sealing progress, until the relay has it.
  #showProgress(id) {
    const bar = this.#nodes.get(id)?.progress;
    if (!bar) return;
    const p = this.#progress.get(id);
    bar.hidden = !p || SENT.has(this.#deliveries.get(id));
    if (!p) return;
    const percent = Math.round((100 * p.done) / p.total);
    bar.max = p.total;
    bar.value = p.done;
    bar.setAttribute('aria-label', this.w.t('chat.progress', { percent }));
  }

  // --- sending --------------------------------------------------------------------------

  /** Sends the composer's text: the core masks and seals it; refusals show inline. */
  async send() {
    const text = this.$input?.value ?? '';
    if (!text.trim() || this.#sending) return;
    this.#sending = true;
    this.#error = null;
    this.#showError();
    try {
      const desk = await this.w.whenAttached();
      const message = await desk.chat.send(text);
      if (this.$input?.value === text) this.$input.value = '';
      this.#draft = '';
      this.#preview = null;
      this.#showPreview();
      this.#received({ from: this.#role, ...message });
    } catch (error) {
      this.#error = error;
      this.#showError();
    } finally {
      this.#sending = false;
    }
  }

  #typed() {
    this.#draft = this.$input.value;
    clearTimeout(this.#previewTimer);
    this.#previewTimer = setTimeout(() => this.#mask(), PREVIEW_DELAY_MS);
    const desk = this.w.desk;
    const now = Date.now();
    if (desk && this.#draft && now - this.#lastTyping > TYPING_EVERY_MS && this.w.state?.purposes?.chat === 'granted') {
      this.#lastTyping = now;
      desk.chat.typing().catch(() => {});
    }
  }

  async #mask() {
    const source = this.#draft;
    const desk = this.w.desk;
    if (!source || !desk) {
      this.#preview = null;
      return this.#showPreview();
    }
    try {
      const result = await desk.pii.mask(source);
      if (source !== this.#draft) return; // typed on meanwhile: a newer preview is coming
      this.#preview = { source, ...result };
    } catch {
      this.#preview = null;
    }
    this.#showPreview();
  }

  #showPreview() {
    if (!this.$preview) return;
    const p = this.#preview;
    this.$preview.hidden = !p;
    if (!p) return this.$preview.replaceChildren();
    const t = (k, v) => this.w.t(k, v);
    this.$preview.replaceChildren(
      h('span', { class: 'small', text: t(p.findings.length ? 'chat.preview_masked' : 'chat.preview_clear', { count: p.findings.length }) }),
      h('br'),
      ...maskedNodes(p.text, p.findings, this.w),
    );
  }

  #showError() {
    if (!this.$error) return;
    const e = this.#error;
    this.$error.hidden = !e;
    if (!e) return this.$error.replaceChildren();
    const refused = REFUSED.has(e.code);
    this.$error.replaceChildren(
      h('p', { text: refused ? this.w.t('chat.consent_required') : this.w.t('chat.send_failed', { code: e.code ?? e.name ?? 'ERROR' }) }),
      // (replaceChildren writes a false child as the text "false": no `refused && …` here)
      ...(refused
        ? [h('button', { type: 'button', class: 'btn', part: 'button allow-chat', 'data-key': 'cap-chat', onclick: async () => {
          if (await this.w.requestCapability('chat')) {
            this.#error = null;
            this.#showError();
            this.$input?.focus();
          }
        } }, this.w.t('chat.allow_chat'))]
        : []),
    );
  }

  /** Forgets the conversation shown (after "delete my local data"). */
  clear() {
    this.#leave = { text: '', contact: '', error: null, sending: false, done: null };
    this.messages = [];
    this.#byId.clear();
    this.#deliveries.clear();
    this.#draft = '';
    this.#preview = null;
    this.#error = null;
  }

  /** Called by the widget when consent changed: a granted chat clears a consent refusal. */
  consentChanged() {
    this.#recorder?.consentChanged();
    if (this.#error && REFUSED.has(this.#error.code) && this.w.state?.purposes?.chat === 'granted') {
      this.#error = null;
      this.#showError();
    }
  }

  // --- incoming -------------------------------------------------------------------------

  #received(m) {
    if (!m || (typeof m.text !== 'string' && !m.attachment)) return;
    const id = m.id ?? `local-${this.messages.length}`;
    if (this.#byId.has(id)) return; // the send() result and its 'message' event are one message
    const entry = { id, from: m.from, text: typeof m.text === 'string' ? m.text : '', findings: Array.isArray(m.findings) ? m.findings : [], at: m.at, kind: m.kind, attachment: m.attachment ?? null, left: m.left === true };
    this.#byId.set(id, entry);
    this.messages.push(entry);
    if (this.$log?.isConnected) {
      this.$list.append(this.#bubble(entry));
      this.$log.scrollTop = this.$log.scrollHeight;
    }
    if (entry.from !== this.#role) {
      this.#typingOff();
      if (!this.$log?.isConnected || !this.w.open) this.w.announce(this.w.t('chat.new_message'));
    }
  }

  #bubble(m) {
    const own = m.from === this.#role;
    const meta = own ? h('span', { class: 'meta', part: 'delivery' }) : null;
    const progress = own && m.attachment ? h('progress', { part: 'progress', hidden: true }) : null;
    const li = h('li', { class: own ? 'msg own' : 'msg', part: own ? 'message message-own' : 'message message-agent', 'data-id': m.id, 'data-kind': m.kind ?? null },
      h('span', { class: 'sr', text: `${this.w.t(own ? 'chat.you' : 'chat.agent')}${this.w.locale.startsWith('zh') ? '：' : ': '}` }),
      m.left ? h('span', { class: 'left', part: 'left-label', text: this.w.t('chat.left_label') }) : null,
      m.attachment ? this.#attachment(m) : maskedNodes(m.text, m.findings, this.w),
      progress,
      meta);
    this.#nodes.set(m.id, { li, meta, progress });
    this.#showDelivery(m.id);
    return li;
  }

  // A voice note (played through the desk: decoded in the core) or another attachment, by type.
  #attachment(m) {
    const a = m.attachment;
    if (!VOICE_NOTE.has(m.kind)) return this.w.t('chat.attachment_message', { type: a.mime ?? '' });
    const seconds = Math.round((a.durationMs ?? 0) / 1000);
    const label = this.w.t('chat.voice_note_message', { duration: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}` });
    const voice = this.w.desk?.voice;
    if (!voice?.player || !a.bytes) return label;
    let player = null;
    let playing = false;
    const button = h('button', { type: 'button', class: 'btn', part: 'button play', onclick: async () => {
      player ??= await voice.player(a.bytes, { onEnded: () => set(false) });
      if (playing) player.pause();
      else player.play();
      set(!playing);
    } }, this.w.t('chat.play'));
    const set = (on) => {
      playing = on;
      button.textContent = this.w.t(on ? 'chat.pause' : 'chat.play');
    };
    return [label, ' ', button];
  }

  #delivered(d) {
    if (!d?.id) return;
    this.#deliveries.set(d.id, d.state);
    this.#showDelivery(d.id);
  }

  #showDelivery(id) {
    const node = this.#nodes.get(id);
    if (!node?.meta) return;
    const state = this.#deliveries.get(id) ?? 'queued';
    node.meta.dataset.state = state;
    node.meta.textContent = this.w.t(`chat.delivery_${state}`);
    this.#showProgress(id);
  }

  #typing(e) {
    if (!e || e.from === this.#role) return;
    if (this.$typing) this.$typing.textContent = this.w.t('chat.typing');
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => this.#typingOff(), TYPING_SHOWN_MS);
  }

  #typingOff() {
    clearTimeout(this.#typingTimer);
    if (this.$typing) this.$typing.textContent = '';
  }

  /**
   * What keeps the conversation from support, in the visitor's words: a stop is an alert; a
   * connection that is being retried is a status with the seconds to the next try.
   */
  #showProblem(problem) {
    clearInterval(this.#problemTimer);
    const $p = this.$problem;
    $p.hidden = !problem;
    $p.dataset.code = problem?.code ?? '';
    if (!problem) return $p.removeAttribute('role');
    $p.setAttribute('role', problem.stopped ? 'alert' : 'status');
    const say = () => {
      const seconds = Math.max(0, Math.ceil(((problem.retryAt ?? 0) - Date.now()) / 1000));
      $p.textContent = this.w.t(`chat.problem_${problem.code}`, { seconds }) || this.w.t('ui.error', { code: problem.code });
    };
    say();
    if (problem.retryAt) this.#problemTimer = setInterval(say, 1000);
  }

  #sessionChanged(s) {
    if (!s) return;
    // Privacy mode ended: what the panel showed of the conversation goes with it.
    if (s.privacy && s.state === 'ended' && !this.#deleted) {
      this.messages = [];
      this.#byId.clear();
      this.#deliveries.clear();
      this.$list?.replaceChildren();
      this.#deleted = true;
    }
    this.#session = s;
    this.#showSession();
  }

  async #enablePrivacy() {
    try {
      this.#sessionChanged(await this.w.desk.session.enablePrivacyMode());
    } catch (e) {
      this.#error = e;
      this.#showError();
    }
  }

  // --- away: leave a message ---------------------------------------------------------------

  /** The away box: the form while nobody accepted, the thanks once a message was left. */
  #showAway() {
    const s = this.#session;
    const t = (k, v) => this.w.t(k, v);
    const leave = this.#leave;
    const shown = this.#role === 'customer' && s?.state === 'waiting' && (s.away || s.leftMessage || leave.done);
    if (this.$away.hidden === !shown && (!shown || this.$away.dataset.step === (leave.done ? 'done' : 'form'))) return;
    this.$away.hidden = !shown;
    if (!shown) return this.$away.replaceChildren();
    this.$away.dataset.step = leave.done ? 'done' : 'form';
    const title = h('p', { id: 'sd-away-title', class: 'away-title', role: 'status', text: t('chat.away_title') });
    if (leave.done) {
      const contact = leave.done.contact;
      return this.$away.replaceChildren(h('p', { id: 'sd-away-title', role: 'status', part: 'left-done', text: contact ? t('chat.left_done_contact', { contact }) : t('chat.left_done') }));
    }
    const text = h('textarea', { id: 'sd-leave-text', rows: '3', part: 'input leave-text', 'data-key': 'leave-text', oninput: () => (leave.text = text.value) });
    text.value = leave.text;
    const contact = h('input', { id: 'sd-leave-contact', type: 'text', autocomplete: 'email', maxlength: '200', part: 'input leave-contact', 'data-key': 'leave-contact', oninput: () => (leave.contact = contact.value) });
    contact.value = leave.contact;
    this.$leaveError = h('p', { class: 'error', role: 'alert', part: 'leave-error', hidden: !leave.error, text: leave.error ? t('chat.send_failed', { code: leave.error.code ?? 'ERROR' }) : '' });
    this.$away.replaceChildren(
      title,
      h('p', { class: 'small', text: t('chat.away_body') }),
      h('form', { part: 'leave-form', onsubmit: (e) => (e.preventDefault(), this.#leaveMessage()) },
        h('label', { for: 'sd-leave-text', class: 'small', text: t('chat.leave_message_label') }),
        text,
        h('label', { for: 'sd-leave-contact', class: 'small', text: t('chat.leave_contact_label') }),
        contact,
        this.$leaveError,
        h('button', { type: 'submit', class: 'btn primary', part: 'button leave', 'data-key': 'leave' }, t('chat.leave_send'))));
  }

  async #leaveMessage() {
    const leave = this.#leave;
    if (!leave.text.trim() || leave.sending) return;
    leave.sending = true;
    leave.error = null;
    try {
      const desk = await this.w.whenAttached();
      const message = await desk.chat.leave({ text: leave.text, contact: leave.contact.trim() });
      this.#received({ from: this.#role, ...message });
      if (message.left) leave.done = { contact: message.contact ?? '' };
      leave.text = '';
      leave.contact = '';
    } catch (error) {
      leave.error = error;
    } finally {
      leave.sending = false;
    }
    this.$away.dataset.step = '';
    this.#showAway();
  }

  #showSession() {
    if (!this.$conn) return;
    const t = (k) => this.w.t(k);
    const s = this.#session;
    const parts = s ? [t(`chat.session_${s.state}`), s.relay !== 'idle' && t(`chat.relay_${s.relay}`)] : [t('chat.session_idle')];
    this.$conn.textContent = parts.filter(Boolean).join(' · ');
    this.$conn.dataset.state = s?.state ?? 'idle';
    this.$conn.dataset.relay = s?.relay ?? 'idle';
    this.#showProblem(s?.problem ?? null);
    this.$privacy.hidden = !s?.privacy;
    this.$privacy.textContent = this.#deleted ? t('chat.privacy_deleted') : s?.privacy ? t('chat.privacy_on') : '';
    this.$privacyButton.hidden = this.#role !== 'customer' || !!s?.privacy || s?.state === 'ended';
    this.#showAway();
    this.$safety.hidden = !s?.safetyCode;
    this.$safety.replaceChildren(
      h('summary', null, t('chat.safety_code'), ' ', h('span', { class: 'code', part: 'code', text: s?.safetyCode ?? '' })),
      h('p', { text: t('chat.safety_code_help') }),
    );
  }
}

export const views = { chat: async (w) => (await w.chat()).render() };
