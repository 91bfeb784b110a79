// The voice-note recorder in the chat composer: a live level meter, the time recorded against the
// longest note allowed, discard and send. The desk records (desk.voice.record: the microphone in
// an AudioWorklet, Opus and the sealing in the core); this module only shows it. A withdrawal of
// the voice purpose cancels the recording in the desk at once; the recorder then says so.
// Loaded on the first voice note.
import { h } from './dom.js';

const CSS = `
.recorder{border:2px solid var(--er);border-radius:10px;padding:8px 10px;margin:6px 0}
.recorder[data-state=done],.recorder[data-state=cancelled],.recorder[data-state=revoked],.recorder[data-state=failed]{border-color:var(--bd)}
.rec-title{display:flex;align-items:center;gap:6px;font-weight:600;margin:0 0 6px}
.recorder[data-state=recording] .rec-title::before{content:"";width:10px;height:10px;border-radius:50%;background:var(--er)}
.rec-line{display:flex;align-items:center;gap:10px;margin-bottom:6px}
.rec-line meter,.recorder progress{flex:1;height:14px;width:100%}
.rec-time{font-variant-numeric:tabular-nums;white-space:nowrap}
.recorder .row{justify-content:flex-end}
.msg progress{display:block;width:100%;height:8px;margin-top:4px}
`;

let sheet;
export function adopt(w) {
  sheet ??= new CSSStyleSheet();
  if (!sheet.cssRules.length) sheet.replaceSync(CSS);
  const root = w.shadowRoot;
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/** 65000 -> '1:05' */
export const clock = (ms) => {
  const s = Math.floor(Math.max(0, ms) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

const TICK_MS = 250;
const DRAW_MS = 50;
const FLOOR_DB = -60; // the meter's bottom: quieter than this shows as nothing

/** The desk's level (RMS, 0..1) on a decibel scale, 0..1 from FLOOR_DB to full scale: speech moves the bar. */
export const meterLevel = (rms) => {
  const r = Number(rms);
  if (!(r > 0)) return 0;
  return Math.min(1, Math.max(0, 1 - (20 * Math.log10(r)) / FLOOR_DB));
};
const OVER = new Set(['done', 'cancelled', 'revoked', 'failed']);

/**
 * One voice note, from the microphone to the sent message.
 *   state: 'starting' | 'recording' | 'limit' | 'sending' | 'done' | 'cancelled' | 'revoked' | 'failed'
 */
export class VoiceRecorder {
  state = 'starting';
  level = 0;
  elapsedMs = 0;
  progress = null; // { done, total } while sending
  error = null;
  #recording = null;
  #startedAt = 0;
  #timer = 0;
  #drawn = 0;

  /** @param {{ w: object, maxMs: number, onEnd: (recorder: VoiceRecorder) => void }} options */
  constructor({ w, maxMs, onEnd }) {
    this.w = w;
    this.maxMs = maxMs;
    this.onEnd = onEnd;
    adopt(w);
  }

  get over() {
    return OVER.has(this.state);
  }

  /** Opens the microphone through the desk; resolves once it is live. */
  async start() {
    const w = this.w;
    const desk = await w.whenAttached();
    try {
      this.#recording = await desk.voice.record({
        maxDurationMs: this.maxMs,
        onLevel: (level) => this.#levelChanged(level),
        onLimit: () => this.#limit(),
      });
    } catch (error) {
      return this.#fail(error);
    }
    if (this.state !== 'starting') {
      // Discarded (or consent withdrawn) while the microphone was opening.
      await this.#recording.cancel().catch(() => {});
      return;
    }
    this.state = 'recording';
    this.#startedAt = performance.now();
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
    this.update();
    w.announce(w.t('voice.started'));
    this.$send?.focus();
  }

  /** Stops and sends: the desk seals the note and emits it as a message. */
  async send() {
    if (!['recording', 'limit'].includes(this.state) || !this.#recording) return;
    const w = this.w;
    this.#tick();
    this.#stopClock();
    this.state = 'sending';
    this.update();
    w.announce(w.t('voice.sending'));
    let message;
    try {
      message = await this.#recording.stop();
    } catch (error) {
      if (this.#revoked()) return this.#end('revoked');
      return this.#fail(error);
    }
    this.#end('done', message);
  }

  /** Discards the recording: nothing is sent. */
  async cancel() {
    if (this.over || this.state === 'sending') return;
    const recording = this.#recording;
    this.#end('cancelled');
    await recording?.cancel().catch(() => {});
  }

  /** Consent changed: a withdrawn voice purpose has ended the recording in the desk. */
  consentChanged() {
    if (!this.over && this.state !== 'sending' && this.#revoked()) this.#end('revoked');
  }

  #revoked() {
    return this.w.state?.purposes?.voice !== 'granted' || this.#recording?.state === 'cancelled';
  }

  #levelChanged(level) {
    this.level = meterLevel(level);
    // At most one DOM write per DRAW_MS however often the desk reports (not tied to animation
    // frames: those stop while the page is in the background, and the meter must not lie).
    const now = performance.now();
    if (now - this.#drawn < DRAW_MS || !this.$meter) return;
    this.#drawn = now;
    this.$meter.value = this.level;
  }

  #tick() {
    if (this.state === 'recording') this.elapsedMs = Math.min(this.maxMs, performance.now() - this.#startedAt);
    if (this.state === 'recording' && this.#recording?.state === 'cancelled') return this.#end('revoked');
    this.#showTime();
  }

  #limit() {
    if (this.state !== 'recording') return;
    this.elapsedMs = this.maxMs;
    this.#stopClock();
    this.state = 'limit';
    this.update();
    this.w.announce(this.w.t('voice.limit', { max: clock(this.maxMs) }));
  }

  #fail(error) {
    this.error = error;
    this.#end('failed');
  }

  #end(state, message) {
    this.#stopClock();
    this.state = state;
    this.level = 0;
    this.#recording = null;
    const w = this.w;
    w.announce(state === 'failed' ? w.t('voice.failed', { code: this.error?.code ?? 'ERROR' }) : w.t(`voice.${state}`));
    this.update();
    this.onEnd?.(this, message);
  }

  #stopClock() {
    clearInterval(this.#timer);
    this.#timer = 0;
  }

  /** Called by the chat panel with 'progress' events while the note is sealed. */
  progressed(p) {
    if (this.state !== 'sending' || !p?.total) return;
    this.progress = { done: p.done, total: p.total };
    this.#showProgress();
  }

  // --- view -----------------------------------------------------------------------------

  render() {
    const w = this.w;
    const t = (k, v) => w.t(k, v);
    this.$title = h('p', { class: 'rec-title', id: 'sd-rec-title' });
    this.$meter = h('meter', { part: 'level', min: '0', max: '1', low: '0.6', high: '0.9', optimum: '0.3', value: String(this.level), 'aria-label': t('voice.level') });
    this.$time = h('span', { class: 'rec-time', part: 'elapsed' });
    this.$progress = h('progress', { part: 'progress', max: '1', 'aria-label': t('voice.sending') });
    this.$note = h('p', { class: 'small', part: 'recorder-note' });
    this.$cancel = h('button', { type: 'button', class: 'btn', part: 'button record-cancel', 'data-key': 'record-cancel', onclick: () => this.cancel() }, t('voice.cancel'));
    this.$send = h('button', { type: 'button', class: 'btn primary', part: 'button record-send', 'data-key': 'record-send', onclick: () => this.send() }, t('voice.send'));
    this.$close = h('button', { type: 'button', class: 'btn', part: 'button record-close', 'data-key': 'record-close', onclick: () => this.onEnd?.(this, null, { dismiss: true }) }, t('ui.close'));
    this.$node = h('div', {
      class: 'recorder', part: 'recorder', role: 'group', 'aria-labelledby': 'sd-rec-title',
      onkeydown: (e) => {
        if (e.key === 'Escape' && !this.over && this.state !== 'sending') {
          e.preventDefault();
          e.stopPropagation(); // Escape discards the note here, it does not close the panel
          this.cancel();
        }
      },
    },
      this.$title,
      h('div', { class: 'rec-line' }, this.$meter, this.$time),
      this.$progress,
      this.$note,
      h('div', { class: 'row' }, this.$cancel, this.$send, this.$close));
    this.update();
    return this.$node;
  }

  update() {
    if (!this.$node) return;
    const t = (k, v) => this.w.t(k, v);
    const s = this.state;
    this.$node.dataset.state = s;
    this.$title.textContent = t(`voice.title_${s}`);
    this.$meter.value = this.level;
    this.$meter.hidden = !['starting', 'recording'].includes(s);
    this.$time.hidden = this.over;
    this.#showTime();
    this.#showProgress();
    const notes = { limit: t('voice.limit', { max: clock(this.maxMs) }), revoked: t('voice.revoked'), cancelled: t('voice.cancelled'), failed: t('voice.failed', { code: this.error?.code ?? 'ERROR' }) };
    this.$note.textContent = notes[s] ?? '';
    this.$note.hidden = !notes[s];
    this.$cancel.hidden = this.over || s === 'sending';
    this.$send.hidden = this.over || s === 'sending';
    this.$send.setAttribute('aria-disabled', String(s === 'starting'));
    this.$close.hidden = !this.over || s === 'done';
  }

  #showTime() {
    if (!this.$time) return;
    const elapsed = clock(this.elapsedMs);
    const max = clock(this.maxMs);
    this.$time.textContent = `${elapsed} / ${max}`;
    this.$time.setAttribute('aria-label', this.w.t('voice.elapsed', { elapsed, max }));
    this.$time.setAttribute('role', 'timer');
  }

  #showProgress() {
    if (!this.$progress) return;
    this.$progress.hidden = this.state !== 'sending';
    if (this.progress) this.$progress.value = this.progress.done / this.progress.total;
    else this.$progress.removeAttribute('value'); // indeterminate until the first report
  }
}
