// Types for <sealdesk-widget> (js/ui/widget.js): the customer's launcher, layered consent,
// just-in-time prompts, chat (with the voice-note recorder), the call view and the privacy
// dashboard. SealDesk.create mounts and attaches it; a
// page may also build one itself.
//
// Attributes: locale="en|zh-CN|zh-TW", collapsed (start behind the launcher), inline (no fixed
// positioning: the host page places it).
//
// Theming (set on the element or any ancestor): --sealdesk-accent, --sealdesk-accent-text,
// --sealdesk-bg, --sealdesk-fg, --sealdesk-muted, --sealdesk-border, --sealdesk-mark (masked
// spans), --sealdesk-danger, --sealdesk-radius, --sealdesk-font, --sealdesk-offset, --sealdesk-z,
// --sealdesk-width, --sealdesk-height.
//
// ::part names: root, launcher, panel, header, brand, tab, tab-chat, tab-dashboard, close, view,
// layer (+ layer1, layer2, notice, age, guardian, prompt, prompt-jit, prompt-sensitive,
// prompt-cross_border), button, choice, accept, reject, customize, save, allow, deny, confirm,
// cancel, link, notice-link, back, purpose, toggle, flag, flag-sensitive, flag-cross-border,
// facts, chat, connection, safety-code, code, messages, message, message-own, message-agent,
// delivery, pii, typing, composer, input, preview, error, voice_note, video_call, send,
// allow-chat, play, progress, dashboard, state, revoke, revoke-all, change, categories, export,
// delete-local, confirm-delete, delete-confirm;
// voice notes: recorder, level, elapsed, recorder-note, record-send, record-cancel, record-close;
// calls: tab-call, call, call-state, stage, remote-video, local-video, remote-audio, indicators,
// indicator, indicator-camera, indicator-microphone, call-facts, call-path, call-e2ee,
// call-controls, mute, camera-off, stop-camera, stop-microphone, hangup, call-back, call-retry,
// capture (the bar beside the launcher while a call captures), capture-button.
import type { Desk, ConsentState, CallState } from '../sealdesk.d.ts';

export type WidgetLocale = 'en' | 'zh-CN' | 'zh-TW';
export type WidgetView = 'layer1' | 'layer2' | 'notice' | 'age' | 'guardian' | 'prompt' | 'chat' | 'dashboard' | 'call';

/** Texts as in consent/locales/<tag>.json ("texts"): nested objects, or flat dotted keys. */
export type WidgetTexts = Record<string, unknown>;

export interface CapabilityEventDetail {
  /** The UI action: 'voice_note' | 'video_call' | 'voice_call' | 'chat' | a policy capability. */
  capability: string;
  /** The policy capability whose consent was checked ('call.voice', 'call.video', ...). */
  policyCapability: string;
}

/** UI actions and the policy capability each needs. */
export const CAPABILITIES: Record<string, string>;

/** What first-layer "accept" grants: required purposes plus what a chat needs, never sensitive,
 *  cross-border or (under GPC) opt-out purposes. Default policy: ['routing', 'chat']. */
export function firstLayerPurposes(policy: object, options?: { gpc?: boolean }): string[];
/** What "reject all" denies: every purpose that is not required. */
export function optionalPurposes(policy: object): string[];

export function detectLocale(languages?: readonly string[]): WidgetLocale;
export const LOCALES: WidgetLocale[];

export class SealDeskWidget extends HTMLElement {
  /** Reflected from the `locale` attribute too; other tags are matched, 'auto' reads the browser. */
  locale: WidgetLocale | string;
  /** Enough to paint the first consent layer before any desk exists. */
  texts: WidgetTexts;
  /** The consent policy (object or JSON text): layer 2 and the notice render from it alone. */
  policy: object | string | null;
  /** 'customer' until a desk is attached (the desk's role wins). */
  role: string;
  readonly desk: Desk | null;
  /** The last consent state the desk reported. */
  state: ConsentState | null;
  /** The view on screen. */
  readonly view: WidgetView;
  readonly open: boolean;
  /**
   * Passed through to desk.call.start when the widget starts a call, e.g.
   * { fallbackAfterMs: 3000, network: { iceTransportPolicy: 'relay' } }.
   */
  callOptions: { fallbackAfterMs?: number; network?: RTCConfiguration } | null;
  /** The longest voice note the recorder takes, in ms (default 120000). */
  voiceNoteMaxMs: number;

  /** Connects a desk; choices made before are applied now, in order. */
  attach(desk: Desk): Promise<void>;
  detach(): void;
  whenAttached(): Promise<Desk>;

  openPanel(): void;
  close(): void;
  toggle(): void;
  show(view: WidgetView, arg?: unknown, options?: { focus?: boolean }): Promise<void>;

  acceptFirstLayer(): Promise<void>;
  rejectAll(): Promise<void>;
  saveChoices(chosen: Set<string>): Promise<boolean>;
  /**
   * Just-in-time consent, then the cancelable 'sealdesk-capability' event; true when the
   * capability may run. Unless a listener calls preventDefault(), the widget then starts it on a
   * desk that has it: 'video_call' / 'voice_call' a call (the call view), 'voice_note' the
   * recorder in the chat.
   */
  requestCapability(capability: string): Promise<boolean>;
  /** Starts a call with callOptions and shows the call view (loads the call module). */
  startCall(options?: { video?: boolean }): Promise<CallState | null>;
  /** Redraws the header tabs and the launcher. */
  chrome(): void;

  /** A text by dotted key, {name} placeholders filled ('' for an unknown key). */
  t(key: string, vars?: Record<string, unknown>): string;
  announce(text: string): void;

  addEventListener(type: 'sealdesk-capability', listener: (event: CustomEvent<CapabilityEventDetail>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** Registers <sealdesk-widget> once; returns the class. */
export function defineWidget(name?: string): typeof SealDeskWidget;

declare global {
  interface HTMLElementTagNameMap {
    'sealdesk-widget': SealDeskWidget;
  }
}
