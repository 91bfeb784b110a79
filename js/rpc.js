// Promise-based calls between the page and the core's Worker. Requests carry an id; replies
// carry the same id and either a result or an error ({ code, message, details }), which becomes
// a SealDeskError here. Events flow from the worker as { event, data }.
import { SealDeskError } from './errors.js';

export class RpcClient {
  /** @param {Worker|MessagePort} port @param {(event: string, data: any) => void} onEvent */
  constructor(port, onEvent) {
    this.port = port;
    this.next = 1;
    this.pending = new Map();
    port.onmessage = (e) => {
      const msg = e.data;
      if (msg.event) return onEvent(msg.event, msg.data);
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.reject(new SealDeskError(msg.error.code, msg.error.message, msg.error.details ?? {}));
      else waiter.resolve(msg.result);
    };
    port.onerror = (e) => {
      const error = new SealDeskError('WORKER_FAILED', `SealDesk worker failed: ${e.message ?? 'error'}`);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
  }

  call(method, args = [], transfer = []) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ id, method, args }, transfer);
    });
  }
}

/** Worker side: serves `methods` (name -> function) on `scope`; emit(event, data) pushes events. */
export function serveRpc(scope, methods) {
  scope.onmessage = async (e) => {
    const { id, method, args } = e.data;
    const fn = methods[method];
    try {
      if (!fn) throw new SealDeskError('NOT_FOUND', `no such method: ${method}`);
      const result = await fn(...(args ?? []));
      scope.postMessage({ id, result });
    } catch (error) {
      const code = error instanceof SealDeskError ? error.code : 'INTERNAL';
      // Messages of errors from the core never contain plaintext, keys or PII.
      scope.postMessage({ id, error: { code, message: error.message, details: error.details ?? {} } });
    }
  };
  return (event, data) => scope.postMessage({ event, data });
}
