// The SealDesk SDK's entry point.
export { loadCore } from './core.js';
export { SealDeskError } from './errors.js';
