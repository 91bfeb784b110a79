// Types for js/errors.js.
/** Every failure that reaches an integrator: `code` is stable (sdk/common/status.h), `message` is for humans. */
export class SealDeskError extends Error {
  constructor(code: string, message: string, details?: Record<string, unknown>);
  readonly name: 'SealDeskError';
  /** Stable upper-case code, e.g. 'CONSENT_REQUIRED', 'AUTH_FAILED', 'KEY_MISMATCH'. */
  code: string;
  /** Structured extras, e.g. { purpose: 'chat' } or { pointer: '/purposes/3' }. */
  details: Record<string, unknown>;
}
