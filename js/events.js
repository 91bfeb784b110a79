// The one event emitter of the SDK: on() returns an unsubscribe function, and a failing listener
// never stops delivery to the others (nor the transport or the core behind it).
export class Emitter {
  constructor() {
    this.listeners = new Map();
  }

  on(event, fn) {
    if (typeof fn !== 'function') throw new TypeError('listener must be a function');
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(fn);
    return () => this.listeners.get(event)?.delete(fn);
  }

  emit(event, value) {
    for (const fn of [...(this.listeners.get(event) ?? [])]) {
      try {
        fn(value);
      } catch (err) {
        globalThis.console?.error?.(`sealdesk: a '${event}' listener failed`, err);
      }
    }
  }
}
