// SealDeskError: every failure that reaches an integrator. `code` is stable (documented in
// sdk/common/status.h, e.g. 'CONSENT_REQUIRED', 'AUTH_FAILED'); `message` is for humans.
export class SealDeskError extends Error {
  /**
   * @param {string} code stable upper-case code
   * @param {string} message human-readable text (never contains message content, keys or PII)
   * @param {object} [details] structured extras, e.g. { purpose: 'chat' } or { pointer: '/purposes/3' }
   */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'SealDeskError';
    this.code = code;
    this.details = details;
  }
}
