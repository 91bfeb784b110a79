import { showCoreStatus } from '../core-status.js';

window.sealdeskCore = await showCoreStatus();
