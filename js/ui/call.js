// The call view: the agent's video with a small preview of the customer's own camera, what is
// being captured right now (from the desk's CallState.devices, in words, not colour alone),
// mute and camera toggles, one-tap stops that withdraw the camera or voice consent (the desk
// ends those tracks at once), the path the call takes (direct WebRTC, or audio only through the
// relay when WebRTC could not connect), end-to-end encryption, and hang up. Loaded on the first
// call. Everything shown comes from the desk's 'call' events; nothing here decides consent.
import { h, icon } from './dom.js';
import { CAMERA, HANGUP, MIC, SLASH } from './icons.js';

const CSS = `
.call-head{display:flex;align-items:baseline;justify-content:space-between;gap:8px}
.call-phase{font-weight:600}
.stage{position:relative;background:#111;border-radius:10px;overflow:hidden;aspect-ratio:16/9;margin:6px 0 8px;display:flex;align-items:center;justify-content:center;color:#fff}
.stage video{display:block}
.stage .remote{width:100%;height:100%;object-fit:cover;position:absolute;inset:0}
.stage .local{position:absolute;right:8px;bottom:8px;width:30%;border:2px solid #fff;border-radius:6px;background:#333;z-index:1}
.stage .placeholder{padding:12px;text-align:center;z-index:0}
.call[data-path=relay] .stage{aspect-ratio:auto;min-height:56px}
.indicators{list-style:none;margin:0 0 8px;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.indicator{display:inline-flex;align-items:center;gap:6px;border:2px solid var(--bd);border-radius:999px;padding:3px 10px;font-weight:600;font-size:13px}
.indicator svg{width:16px;height:16px;fill:currentColor}
.indicator[data-state=live]{border-color:var(--er);color:var(--er)}
.indicator[data-state=live]::before{content:"";width:8px;height:8px;border-radius:50%;background:var(--er)}
.controls{display:flex;flex-direction:column;gap:6px;margin-top:8px}
.controls .row{gap:6px}
.controls .danger{margin-left:auto}
.root:has(.capture:not([hidden])) .panel{max-height:var(--sealdesk-height,min(640px,calc(100vh - 136px)))}
.controls .btn[aria-pressed=true]{background:var(--a);color:var(--at)}
.btn[aria-disabled=true]{opacity:.55;cursor:default}
.btn.danger{border-color:var(--er);background:var(--er);color:#fff}
.btn.stop{border-color:var(--er);color:var(--er)}
.capture{align-self:flex-end}
.capture-btn{display:inline-flex;align-items:center;gap:6px;border:2px solid var(--er);border-radius:999px;background:var(--bg);color:var(--er);padding:4px 12px;font-weight:600;font-size:13px;box-shadow:0 2px 8px #0002}
.capture-btn::before{content:"";width:8px;height:8px;border-radius:50%;background:var(--er)}
`;

let sheet;
function adopt(w) {
  sheet ??= new CSSStyleSheet();
  if (!sheet.cssRules.length) sheet.replaceSync(CSS);
  const root = w.shadowRoot;
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

const ACTIVE = new Set(['preparing', 'starting', 'live']);
const play = (el) => el?.play?.().catch(() => {}); // autoplay is refused only before any gesture

export class CallPanel {
  /** 'idle' | 'preparing' (consent checked, keys on their way) | 'starting' | 'live' | 'ended' | 'failed' */
  phase = 'idle';
  /** The last CallState of the widget's call (desk 'call' event). */
  state = null;
  video = true;
  error = null;
  /** The call tab is shown: a call started and its view was not left with "back to chat". */
  shown = false;
  #streams = {};
  #tab = false;
  #attempt = 0;

  constructor(w) {
    this.w = w;
    adopt(w);
    // The agent's voice plays here, outside the view, so it goes on while the chat is shown.
    this.$audio = h('audio', { part: 'remote-audio', hidden: true });
    w.$root.append(this.$audio);
    w.$capture.replaceChildren();
  }

  get active() {
    return ACTIVE.has(this.phase);
  }

  /**
   * Starts a call ({ video }) with the widget's callOptions and shows it. Resolves with the
   * desk's CallState once local media is live; a failure is shown in the view (and rethrown).
   */
  async start({ video = true } = {}) {
    const w = this.w;
    const desk = await w.whenAttached();
    if (this.active) {
      await w.show('call');
      return this.state;
    }
    this.#subscribe(desk);
    Object.assign(this, { video, phase: 'preparing', state: null, error: null, shown: true });
    this.#release();
    await w.show('call');
    this.update();
    w.announce(w.t('call.state_preparing'));
    const attempt = ++this.#attempt;
    try {
      await desk.call.start({ ...(w.callOptions ?? {}), video });
    } catch (error) {
      if (attempt !== this.#attempt) return null; // hung up while it was starting
      this.phase = 'failed';
      this.error = error;
      this.update();
      w.announce(this.#phaseText());
      throw error;
    }
    if (attempt !== this.#attempt) {
      // Hung up while the desk was still preparing (no call to end then): end it now.
      await desk.call.hangup().catch(() => {});
      return null;
    }
    if (this.phase === 'preparing') this.phase = 'starting';
    this.#attachStreams();
    this.update();
    return this.state;
  }

  #subscribe(desk) {
    if (this.desk === desk) return;
    this.desk = desk;
    this.offs?.forEach((off) => off());
    this.offs = [
      desk.on('call', (s) => this.#changed(s)),
      desk.on('consent', () => this.update()), // the stop buttons follow the consent (the widget read it first)
    ];
  }

  #changed(s) {
    // Only the widget's own call: nothing before it starts; a replayed end of an earlier call
    // (events replay the latest state) or the agent's ringing is not this one.
    if (!s || !this.active || s.state === 'ringing' || (s.state === 'ended' && this.phase === 'preparing')) return;
    const w = this.w;
    const before = this.state;
    const phase = this.phase;
    const hadFocus = !!this.$controls?.contains(w.shadowRoot.activeElement);
    this.state = s;
    this.phase = s.state === 'ended' ? 'ended' : s.state === 'live' ? 'live' : 'starting';
    this.#attachStreams();
    this.update();
    const said = [];
    if (this.phase !== phase) said.push(this.#phaseText());
    if (s.path === 'relay' && before?.path !== 'relay') said.push(w.t('call.path_relay'));
    for (const device of ['camera', 'microphone']) {
      const now = s.devices?.[device];
      if (now === 'revoked' && before?.devices?.[device] !== 'revoked') said.push(w.t(`call.${device}_revoked`));
    }
    if (said.length) w.announce(said.join(' '));
    if (this.phase === 'ended') {
      this.#release();
      if (hadFocus) this.$back.focus(); // the controls are gone; "back to chat" is next
    }
  }

  // --- streams --------------------------------------------------------------------------

  // The streams shown, keyed by their live tracks: a camera turned on again is a new track in
  // the same stream, and a media element is only sure to pick it up when assigned again.
  #attachStreams() {
    const call = this.desk?.call;
    if (!call) return;
    const relay = this.state?.path === 'relay';
    const local = relay ? null : call.localStream;
    const remote = relay ? null : call.remoteStream;
    const ids = (stream, kind) => (stream?.getTracks() ?? []).filter((t) => t.kind === kind && t.readyState === 'live').map((t) => t.id).join();
    const next = { local, remote, localVideo: ids(local, 'video'), remoteVideo: ids(remote, 'video'), remoteAudio: ids(remote, 'audio') };
    const was = this.#streams;
    this.#streams = next;
    if (next.remote !== was.remote || next.remoteAudio !== was.remoteAudio) {
      this.$audio.srcObject = next.remoteAudio ? remote : null;
      if (next.remoteAudio) play(this.$audio);
    }
    if (next.remote !== was.remote || next.remoteVideo !== was.remoteVideo) this.#show(this.$remote, next.remoteVideo ? remote : null);
    if (next.local !== was.local || next.localVideo !== was.localVideo) this.#show(this.$local, next.localVideo ? local : null);
  }

  #show(el, stream) {
    if (!el) return;
    el.srcObject = stream;
    if (stream) play(el);
  }

  #release() {
    this.$audio.srcObject = null;
    if (this.$remote) this.$remote.srcObject = null;
    if (this.$local) this.$local.srcObject = null;
    this.#streams = {};
  }

  // --- actions --------------------------------------------------------------------------

  /** Microphone muted or not (the device stays open; nothing is sent while muted). */
  async setMuted(muted) {
    await this.#act(() => this.desk.call.setMuted(muted));
  }

  /** Camera on or off (off releases the device). */
  async setCamera(on) {
    await this.#act(() => this.desk.call.setCamera(on));
  }

  /**
   * Withdraws a purpose ('video' or 'voice') for good: the desk ends the matching tracks before
   * the consent round trip, so the device stops now. The consent event updates the widget.
   */
  async revoke(purpose) {
    const w = this.w;
    const withdrawn = this.desk.consent.revoke([purpose], { collectionMethod: 'call-view' }); // the tracks end inside this call
    this.update();
    try {
      w.state = await withdrawn;
    } catch (error) {
      w.announce(w.errorText(error));
    }
    this.update();
  }

  async hangup() {
    if (this.phase === 'preparing') {
      // desk.call.start is still waiting (for the session keys): nothing is captured yet. The
      // desk cancels it (start() rejects with CANCELLED); should it have got further, start()
      // ends it the moment the desk hands it over.
      this.#attempt++;
      void this.desk.call.hangup().catch(() => {});
      this.phase = 'ended';
      this.update();
      this.w.announce(this.#phaseText());
      return this.$back.focus();
    }
    await this.#act(() => this.desk.call.hangup());
  }

  async #act(fn) {
    try {
      await fn();
    } catch (error) {
      this.w.announce(this.w.errorText(error));
    }
    this.update();
  }

  /** Leaves the call view for the chat; an ended call's tab goes with it. */
  async back() {
    if (!this.active) this.shown = false;
    this.#tab = this.shown;
    await this.w.show('chat'); // redraws the tabs
  }

  // --- view -----------------------------------------------------------------------------

  #phaseText() {
    const w = this.w;
    if (this.phase === 'failed') return w.t('call.state_failed', { code: this.error?.code ?? 'ERROR' });
    return w.t(`call.state_${this.phase === 'idle' ? 'ended' : this.phase}`);
  }

  render() {
    const w = this.w;
    const t = (k, v) => w.t(k, v);
    const button = (key, label, onclick, cls = 'btn') =>
      h('button', { type: 'button', class: cls, part: `button ${key}`, 'data-key': key, onclick: (e) => e.currentTarget.getAttribute('aria-disabled') !== 'true' && onclick() }, label);
    this.$phase = h('span', { class: 'call-phase', part: 'call-state' });
    this.$remote = h('video', { class: 'remote', part: 'remote-video', playsinline: true, muted: true, 'aria-label': t('call.remote_video') });
    this.$remote.muted = true; // the agent's voice plays from the audio element
    this.$local = h('video', { class: 'local', part: 'local-video', playsinline: true, muted: true, 'aria-label': t('call.local_video') });
    this.$local.muted = true;
    this.$placeholder = h('p', { class: 'placeholder' });
    this.$stage = h('div', { class: 'stage', part: 'stage' }, this.$remote, this.$local, this.$placeholder);
    this.$camera = h('li', { class: 'indicator', part: 'indicator indicator-camera', 'data-device': 'camera' });
    this.$mic = h('li', { class: 'indicator', part: 'indicator indicator-microphone', 'data-device': 'microphone' });
    this.$path = h('dd', { part: 'call-path' });
    this.$e2ee = h('dd', { part: 'call-e2ee' });
    this.$mute = button('mute', t('call.mute'), () => this.setMuted(this.state?.devices?.microphone !== 'muted'));
    this.$cameraToggle = button('camera-off', t('call.camera_off_toggle'), () => this.setCamera(this.state?.devices?.camera !== 'live'));
    this.$stopCamera = button('stop-camera', t('call.stop_camera'), () => this.revoke('video'), 'btn stop');
    this.$stopMic = button('stop-microphone', t('call.stop_microphone'), () => this.revoke('voice'), 'btn stop');
    this.$hangup = h('button', { type: 'button', class: 'btn danger icon', part: 'button hangup', 'data-key': 'hangup', onclick: () => this.hangup() }, icon(HANGUP), t('call.hangup'));
    this.$stopHelp = h('p', { class: 'small', id: 'sd-call-stop-help', text: t('call.stop_help') });
    this.$stopCamera.setAttribute('aria-describedby', 'sd-call-stop-help');
    this.$stopMic.setAttribute('aria-describedby', 'sd-call-stop-help');
    this.$controls = h('div', { class: 'controls', part: 'call-controls', role: 'group', 'aria-label': t('call.controls_label') },
      h('div', { class: 'row' }, this.$mute, this.$cameraToggle, this.$hangup),
      h('div', { class: 'row' }, this.$stopCamera, this.$stopMic));
    this.$error = h('p', { class: 'error', part: 'error', hidden: true });
    this.$back = button('call-back', t('call.back_to_chat'), () => this.back());
    this.$retry = button('call-retry', t('call.retry'), () => this.start({ video: this.video }).catch(() => {}), 'btn primary');
    this.$view = h('div', { class: 'call', part: 'call' },
      h('div', { class: 'call-head' }, h('h2', { id: 'sd-title', tabindex: '-1', text: t(this.video ? 'call.title_video' : 'call.title_voice') }), this.$phase),
      this.$stage,
      h('ul', { class: 'indicators', part: 'indicators', 'aria-label': t('call.capturing_label') }, this.$camera, this.$mic),
      h('dl', { part: 'call-facts' }, h('dt', { text: t('call.path_label') }), this.$path, h('dt', { text: t('call.e2ee_label') }), this.$e2ee),
      this.$controls,
      this.$stopHelp,
      this.$error,
      h('div', { class: 'row' }, this.$retry, this.$back));
    // A rebuilt view (a locale change, back from the chat) shows the streams already running.
    this.#show(this.$remote, this.#streams.remoteVideo ? this.#streams.remote : null);
    this.#show(this.$local, this.#streams.localVideo ? this.#streams.local : null);
    this.update();
    return this.$view;
  }

  /** Brings the view, the capture bar and the tab up to date (in place: focus stays). */
  update() {
    const w = this.w;
    const t = (k, v) => w.t(k, v);
    const s = this.state ?? {};
    const devices = s.devices ?? { camera: 'off', microphone: 'off' }; // nothing is captured before the desk says so
    const relay = s.path === 'relay';
    const active = this.active;
    const granted = (p) => w.state?.purposes?.[p] === 'granted';
    this.#capture(devices);
    if (this.#tab !== this.shown) {
      this.#tab = this.shown;
      w.chrome(); // the call tab comes or goes (redrawing the tabs on every event would drop their focus)
    }
    if (!this.$view) return;
    this.$view.dataset.phase = this.phase;
    this.$view.dataset.path = s.path ?? '';
    this.$phase.textContent = this.#phaseText();
    for (const [el, device] of [[this.$camera, 'camera'], [this.$mic, 'microphone']]) {
      const state = active ? devices[device] ?? 'off' : 'off';
      el.dataset.state = state;
      const off = state !== 'live';
      el.replaceChildren(icon(off ? `${device === 'camera' ? CAMERA : MIC}${SLASH}` : device === 'camera' ? CAMERA : MIC), t(`call.${device}_${state}`) || t(`call.${device}_off`));
    }
    this.$path.textContent = t(relay ? 'call.path_relay' : 'call.path_webrtc');
    this.$path.dataset.path = s.path ?? 'webrtc';
    this.$e2ee.textContent = s.e2ee ? t('call.e2ee_on') : t(active ? 'call.e2ee_pending' : 'call.e2ee_none');
    this.$e2ee.dataset.e2ee = s.e2ee ?? '';
    // The stage: the agent's video on a direct video call; otherwise a line that says why not.
    const hasRemote = !!this.#streams.remoteVideo && s.remote?.camera === 'receiving';
    const hasLocal = devices.camera === 'live' && !relay;
    this.$stage.hidden = !this.video;
    this.$remote.hidden = !hasRemote || !active;
    this.$local.hidden = !hasLocal || !active;
    this.$placeholder.hidden = hasRemote && active;
    this.$placeholder.textContent = relay ? t('call.audio_only') : active ? t('call.remote_waiting') : this.#phaseText();
    // Controls: aria-disabled keeps focus on a control that stops applying.
    const able = (el, on, pressed) => {
      el.setAttribute('aria-disabled', String(!on));
      if (pressed !== undefined) el.setAttribute('aria-pressed', String(pressed));
    };
    const started = active && this.phase !== 'preparing';
    const mic = devices.microphone;
    this.$controls.hidden = !active;
    this.$stopHelp.hidden = !active;
    able(this.$mute, started && !relay && (mic === 'live' || mic === 'muted'), mic === 'muted');
    this.$mute.hidden = relay; // the relay path has no mute (the microphone stops with "stop microphone")
    able(this.$cameraToggle, started && !relay && (devices.camera === 'live' || devices.camera === 'off'), devices.camera === 'off');
    this.$cameraToggle.hidden = !this.video || relay;
    able(this.$stopCamera, active && granted('video') && devices.camera !== 'revoked');
    this.$stopCamera.hidden = !this.video;
    able(this.$stopMic, active && granted('voice') && mic !== 'revoked');
    this.$error.hidden = this.phase !== 'failed';
    this.$error.textContent = this.phase === 'failed' ? this.#phaseText() : '';
    this.$retry.hidden = this.phase !== 'failed';
    this.$back.hidden = active;
  }

  // The bar beside the launcher: what is captured while a call runs, visible on every view and
  // with the panel closed; it opens the call view.
  #capture(devices = this.state?.devices) {
    const w = this.w;
    const bar = w.$capture;
    const live = this.active ? ['camera', 'microphone'].filter((d) => devices?.[d] === 'live' || devices?.[d] === 'muted') : [];
    bar.hidden = !this.active;
    if (!this.active) return bar.replaceChildren();
    const text = live.length ? live.map((d) => w.t(`call.${d}_${devices[d]}`)).join(' · ') : this.#phaseText();
    let button = bar.firstElementChild;
    if (!button) {
      button = h('button', { type: 'button', class: 'capture-btn', part: 'capture-button', onclick: () => (w.openPanel(), w.show('call')) });
      bar.append(button);
    }
    button.textContent = w.t('call.capture_bar', { list: text });
    button.dataset.capturing = live.join(' ');
  }
}

export const views = { call: async (w) => (await w.calls()).render() };
