// SVG path data (24x24 viewBox) for the icons of the lazily loaded views: chat tools, call
// indicators. The launcher's icon is in dom.js, which paints first.
export const MIC = 'M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11z';
export const CAMERA = 'M15 8v8H4V8h11m1-2H3a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h13a1 1 0 0 0 1-1v-3.5l4 4v-11l-4 4V7a1 1 0 0 0-1-1z';
// A handset: earpiece top left, mouthpiece bottom right, the grip curving between them.
export const PHONE = 'M5 3h4l1.5 4.5-2.5 1.5a11 11 0 0 0 5 5l1.5-2.5L19 13v4a2 2 0 0 1-2 2A16 16 0 0 1 3 5a2 2 0 0 1 2-2z';
// Struck through: drawn over MIC or CAMERA for a device that is off.
export const SLASH = 'M3.3 2 2 3.3 20.7 22l1.3-1.3z';
export const HANGUP = 'M12 9c-1.6 0-3.2.3-4.6.7v3.1c0 .4-.2.7-.6.9-1 .5-1.9 1.1-2.7 1.8-.2.2-.4.3-.7.3s-.5-.1-.7-.3L.3 13.1a1 1 0 0 1 0-1.4C3.3 8.8 7.5 7 12 7s8.7 1.8 11.7 4.7a1 1 0 0 1 0 1.4l-2.4 2.4c-.2.2-.4.3-.7.3s-.5-.1-.7-.3c-.8-.7-1.7-1.3-2.7-1.8-.3-.2-.6-.5-.6-.9V9.7C15.2 9.3 13.6 9 12 9z';
