// The demo agent console: the same SDK in the agent role. Everything a customer sends (text,
// the consent summary) is untrusted input and is rendered with textContent only.
import { SealDesk } from '../../js/sealdesk.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'data') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

/**
 * The masked text with each masked span in a <mark>, as text nodes only. A span the customer lets
 * the agent reveal (pii_reveal granted) gets a Reveal button; the desk opens it only while that
 * consent holds.
 */
function maskedText(text, findings = [], session = null) {
  const parts = [];
  let at = 0;
  for (const f of [...findings].sort((a, b) => a.maskedStart - b.maskedStart)) {
    if (f.maskedStart < at || f.maskedEnd > text.length) continue;
    const mark = el('mark', { title: `masked ${f.type}`, text: text.slice(f.maskedStart, f.maskedEnd) });
    parts.push(text.slice(at, f.maskedStart), mark);
    if (f.reveal) {
      const button = el('button', { type: 'button', class: 'reveal', text: 'Reveal', 'aria-label': `Reveal masked ${f.type}` });
      button.addEventListener('click', async () => {
        try {
          const { text: original } = await state.desk.pii.reveal(session, f.reveal);
          mark.textContent = original;
          mark.dataset.revealed = 'true';
          button.remove();
        } catch (e) {
          button.textContent = e.code === 'CONSENT_REQUIRED' ? 'Not permitted' : 'Failed';
          button.disabled = true;
        }
      });
      parts.push(' ', button);
    }
    at = f.maskedEnd;
  }
  parts.push(text.slice(at));
  return parts;
}

const state = {
  desk: null,
  current: null, // the session shown
  sessions: new Map(), // id -> { info, messages: [] }
  queue: [],
};

function sessionOf(id) {
  if (!state.sessions.has(id)) state.sessions.set(id, { info: { session: id }, messages: [], deliveries: new Map() });
  return state.sessions.get(id);
}

function renderQueue() {
  const list = $('queue');
  list.replaceChildren(
    ...state.queue.map((q) => {
      const purposes = q.summary?.purposes ?? {};
      const granted = Object.entries(purposes).filter(([, s]) => s === 'granted').map(([p]) => p);
      return el(
        'li',
        { data: { session: q.session } },
        el('span', {}, el('span', { text: `Customer ${q.session.slice(0, 6)}` }), el('small', { text: `${q.online ? 'online' : 'offline'} · ${q.summary?.locale ?? '?'} · allows ${granted.join(', ') || 'nothing yet'}${q.privacy ? ' · privacy mode' : ''}${q.left ? ` · message left ${new Date(q.left).toLocaleTimeString()}` : ''}` })),
        el('button', { type: 'button', 'aria-label': `Accept customer ${q.session.slice(0, 6)}`, onclick: () => accept(q.session), text: 'Accept' }),
      );
    }),
  );
  $('queue-empty').hidden = state.queue.length > 0;
}

function renderSessions() {
  const mine = [...state.sessions.entries()].filter(([, s]) => ['active', 'waiting'].includes(s.info.state) && s.accepted);
  $('sessions').replaceChildren(
    ...mine.map(([id, s]) =>
      el('li', {}, el('span', { text: `${id.slice(0, 6)} · ${s.info.state}` }), el('button', { type: 'button', onclick: () => show(id), text: 'Open', 'aria-label': `Open session ${id.slice(0, 6)}` })),
    ),
  );
}

function renderConversation() {
  const id = state.current;
  $('conversation').hidden = !id;
  $('consent-panel').hidden = !id;
  if (!id) {
    $('log').replaceChildren(); // hidden is not gone: nothing of a closed conversation stays in the page
    $('consent').replaceChildren();
    $('chat-session').textContent = '';
    return;
  }
  const s = sessionOf(id);
  $('chat-session').textContent = id.slice(0, 6) + (s.info.privacy ? ' · privacy mode: deleted when it ends' : '');
  $('chat-session').dataset.privacy = s.info.privacy ? 'on' : 'off';
  $('safety-code').textContent = s.info.safetyCode ?? 'waiting for keys…';
  $('alert').hidden = !s.info.alert;
  $('alert').dataset.code = s.info.alert ?? '';
  $('alert').textContent = ALERT_TEXT[s.info.alert] ?? '';
  $('log').replaceChildren(
    ...s.messages.map((m) =>
      el(
        'li',
        { data: { from: m.from, id: m.id, kind: m.kind ?? 'text' } },
        ...(m.left ? [el('strong', { class: 'left', text: `Left while nobody was available${m.contact ? ` · reply to: ${m.contact}` : ' · no contact given'}` })] : []),
        ...(m.kind === 'voice-note' ? [voiceNoteView(m)] : (m.view ??= maskedText(m.text, m.findings, m.session))),
        el('span', { class: 'meta', text: `${m.from} · ${new Date(m.at).toLocaleTimeString()}${m.from === 'agent' ? ` · ${s.deliveries.get(m.id) ?? 'sending'}` : ''}` }),
      ),
    ),
  );
  $('log').scrollTop = $('log').scrollHeight;
  const purposes = s.info.consent?.purposes ?? {};
  $('consent').replaceChildren(
    ...Object.entries(purposes).flatMap(([p, st]) => [el('dt', { text: p }), el('dd', { text: st, data: { purposeState: st } })]),
  );
}

// A conversation the desk stopped because the relay or network tampered with it.
const ALERT_TEXT = {
  KEY_MISMATCH: 'Stopped: someone with a different identity tried to join this conversation. Do not trust anything new in it; ask the customer to start a new chat.',
  CONSENT_GAP: 'Stopped: an update of the customer\'s consent was lost on the way, so nothing more is shown until the customer reconnects.',
};

const DEVICE_TEXT = { receiving: 'receiving', revoked: 'stopped by the customer', ended: 'ended', none: 'none' };

function renderCall() {
  const c = state.call;
  $('call-panel').hidden = !c || c.session !== state.current;
  if (!c) return;
  $('join-call').hidden = c.state !== 'ringing';
  $('hangup').hidden = !['starting', 'live'].includes(c.state);
  $('call-status').dataset.state = c.state;
  $('call-status').dataset.path = c.path ?? '';
  const path = c.path === 'relay' ? 'audio over the relay (WebRTC could not connect)' : 'WebRTC';
  $('call-status').textContent =
    c.state === 'ringing'
      ? `The customer is calling (${c.video ? 'video' : 'voice'}).`
      : `Call ${c.state} · ${path} · end-to-end encrypted frames (${c.e2ee ?? '…'}) · customer camera: ${DEVICE_TEXT[c.remote?.camera] ?? '…'}, microphone: ${DEVICE_TEXT[c.remote?.voice] ?? '…'}`;
  if (c.state === 'ended') {
    $('remote-video').srcObject = null;
    $('local-video').srcObject = null;
  }
}

const seconds = (ms) => `${Math.floor(ms / 60000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;

/** A voice note: play/pause, a seek bar, and a download of the Ogg Opus file. Built once per message. */
function voiceNoteView(m) {
  if (m.view) return m.view;
  const duration = m.attachment.durationMs;
  const play = el('button', { type: 'button', text: 'Play', 'aria-label': 'Play voice note' });
  const seek = el('input', { type: 'range', min: '0', max: String(duration), value: '0', step: '100', 'aria-label': 'Position in voice note' });
  const time = el('span', { class: 'time', text: `0:00 / ${seconds(duration)}` });
  // Sent in privacy mode: played here, never offered as a file (the desk says downloadable: false).
  const download = m.attachment.downloadable === false
    ? el('span', { class: 'no-download', text: 'Privacy mode: play only' })
    : el('a', { href: (m.url = URL.createObjectURL(new Blob([m.attachment.bytes], { type: 'audio/ogg' }))), download: `voice-note-${m.id}.ogg`, text: 'Download (.ogg)' });
  let player = null;
  let timer = null;
  const tick = () => {
    const at = player.position();
    seek.value = String(at);
    time.textContent = `${seconds(at)} / ${seconds(duration)}`;
  };
  const stopped = () => {
    clearInterval(timer);
    play.textContent = 'Play';
    tick();
  };
  play.addEventListener('click', async () => {
    player ??= await state.desk.voice.player(m.attachment.bytes, { onEnded: stopped });
    if (player.playing) {
      player.pause();
      return stopped();
    }
    await player.play(Number(seek.value));
    play.textContent = 'Pause';
    timer = setInterval(tick, 100);
  });
  seek.addEventListener('change', async () => {
    player ??= await state.desk.voice.player(m.attachment.bytes, { onEnded: stopped });
    player.seek(Number(seek.value));
    tick();
  });
  m.view = el('span', { class: 'voice-note' }, el('span', { text: `Voice note (${seconds(duration)}) ` }), play, seek, time, ' ', download);
  return m.view;
}

async function accept(id) {
  try {
    const info = await state.desk.sessions.accept(id);
    const s = sessionOf(id);
    s.accepted = true;
    s.info = { ...s.info, ...info };
    show(id);
  } catch (e) {
    $('desk-status').textContent = `Could not accept: ${e.message}`;
  }
}

function show(id) {
  state.current = id;
  renderSessions();
  renderConversation();
  renderCall();
  $('reply').focus();
}

async function main() {
  const config = await (await fetch('./config.json')).json();
  const desk = await SealDesk.create({
    role: 'agent',
    relayUrl: params.get('relay') ?? config.relayUrl,
    identity: config.identity,
    token: params.get('token') ?? config.token,
  });
  window.desk = desk;
  state.desk = desk;
  // Privacy mode ended (or moved to another agent): everything shown of it goes.
  desk.on('forget', ({ session }) => {
    for (const m of state.sessions.get(session)?.messages ?? []) {
      if (m.url) URL.revokeObjectURL(m.url);
      m.attachment?.bytes?.fill(0);
    }
    state.sessions.delete(session);
    if (state.current === session) state.current = null;
    if (state.call?.session === session) state.call = null;
    $('desk-status').textContent = 'A conversation in privacy mode ended: it was deleted from this console.';
    renderSessions();
    renderConversation();
    renderCall();
  });
  desk.on('queue', ({ sessions }) => {
    state.queue = sessions;
    renderQueue();
  });
  desk.on('session', (info) => {
    const s = sessionOf(info.session);
    s.info = { ...s.info, ...info };
    if (info.state === 'ended' || info.state === 'transferred') s.accepted = info.state !== 'ended' && s.accepted;
    renderSessions();
    if (info.session === state.current) renderConversation();
  });
  desk.on('message', (m) => {
    sessionOf(m.session).messages.push(m);
    if (m.session === state.current) renderConversation();
  });
  desk.on('delivery', (d) => {
    const s = d.session ? sessionOf(d.session) : null;
    s?.deliveries.set(d.id, d.state);
    if (d.session === state.current) renderConversation();
  });
  let typingTimer;
  desk.on('typing', ({ session }) => {
    if (session !== state.current) return;
    $('typing').hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => ($('typing').hidden = true), 3000);
  });
  desk.on('error', (e) => ($('desk-status').textContent = `Problem: ${e.message}`));
  desk.on('call', (c) => {
    state.call = c;
    renderCall();
  });
  $('join-call').addEventListener('click', async () => {
    const session = state.call?.session;
    try {
      await desk.call.join(session, { video: state.call?.video !== false });
      $('local-video').srcObject = desk.call.localStream;
      $('remote-video').srcObject = desk.call.remoteStream;
    } catch (e) {
      $('call-status').textContent = `Could not join (${e.code}): ${e.message}`;
    }
  });
  $('hangup').addEventListener('click', () => desk.call.hangup().catch(() => {}));

  $('composer').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = $('reply').value;
    if (!text.trim() || !state.current) return;
    try {
      await desk.chat.send(text, { session: state.current });
      $('reply').value = '';
      $('send-error').textContent = '';
    } catch (e) {
      $('send-error').textContent = `Not sent (${e.code}): ${e.message}`;
    }
  });
  $('reply').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey) {
      ev.preventDefault();
      $('composer').requestSubmit();
    } else if (state.current) desk.chat.typing({ session: state.current }).catch(() => {});
  });
  // A transfer moves the session to a new epoch: the customer runs a new handshake with whoever
  // accepts next, and this desk keeps no key of it.
  const transfer = async (to) => {
    const id = state.current;
    await desk.sessions.transfer(id, to || undefined);
    sessionOf(id).accepted = false;
    state.current = null;
    renderSessions();
    renderConversation();
  };
  $('transfer').addEventListener('click', () => transfer());
  $('transfer-to-button').addEventListener('click', () => transfer($('transfer-to').value.trim()));
  $('end').addEventListener('click', async () => {
    const id = state.current;
    await desk.session.end(id);
    sessionOf(id).accepted = false;
    state.current = null;
    renderSessions();
    renderConversation();
  });
  $('desk-status').dataset.state = 'ready';
  desk.on('status', renderStatus);
  renderStatus(await desk.status());
}

// What keeps this console from the relay, in plain words (the SDK also warns once per code).
const PROBLEM_TEXT = {
  RELAY_UNREACHABLE: (p) => `Cannot reach the relay. Next try in ${Math.max(0, Math.ceil((p.retryAt - Date.now()) / 1000))} s; waiting customers appear once it is back.`,
  ORIGIN_REFUSED: () => 'The relay does not serve this console\'s address. Ask its operator to add this origin to RELAY_ORIGINS.',
  RELAY_REFUSED: () => 'The relay refused this console\'s agent token. Check the token with the relay\'s operator (RELAY_AGENTS).',
};
let statusTimer = null;
function renderStatus(status) {
  clearInterval(statusTimer);
  const el = $('desk-status');
  const p = status?.problem;
  el.dataset.problem = p?.code ?? '';
  const say = () => (el.textContent = p ? (PROBLEM_TEXT[p.code]?.(p) ?? `Problem: ${p.code}`) : 'Connected. Waiting customers appear below.');
  say();
  if (p?.retryAt) statusTimer = setInterval(say, 1000);
}

main().catch((e) => {
  $('desk-status').textContent = PROBLEM_TEXT[e.code] ? PROBLEM_TEXT[e.code]() : `The console failed to start: ${e.message}`;
  $('desk-status').dataset.problem = e.code ?? '';
  $('desk-status').dataset.state = 'failed';
});
