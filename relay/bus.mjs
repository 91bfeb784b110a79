// Live notifications between the parts of the relay that serve the two parties of a session.
//
// The relay never calls another connection directly: it publishes on a channel and whoever
// holds that session's connections (this process now; any relay process with issue 9's Redis
// pub/sub) reacts. Messages are small JSON-safe objects: routing ids and counters, never frames
// (the frames themselves are read from the store).
//
// interface RelayBus {
//   publish(channel: string, message: object): Promise<void>
//   subscribe(channel: string, handler: (message) => void): () => void   returns unsubscribe
//   close(): Promise<void>
// }
// Channels: `session:<id>` (data, ack, expired, state, kick) and `lobby` (the waiting queue
// changed).

export class LocalBus {
  constructor() {
    this.handlers = new Map();
  }

  async publish(channel, message) {
    const set = this.handlers.get(channel);
    if (!set) return;
    // Asynchronous like a network bus, so the relay never relies on same-tick delivery.
    for (const fn of [...set]) queueMicrotask(() => fn(message));
  }

  subscribe(channel, handler) {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (!set.size && this.handlers.get(channel) === set) this.handlers.delete(channel);
    };
  }

  async close() {
    this.handlers.clear();
  }
}
