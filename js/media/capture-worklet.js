// AudioWorklet processor: hands the microphone's first channel to the main thread in chunks of
// about 20 ms. It does no processing of its own: resampling, encoding and sealing happen in the
// core. Stops (and drops anything pending) when told to.
class SealDeskCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.chunk = new Float32Array(Math.max(128, Math.round(sampleRate / 50)));
    this.filled = 0;
    this.running = true;
    this.port.onmessage = (e) => {
      if (e.data === 'stop') {
        if (this.filled > 0) this.port.postMessage(this.chunk.slice(0, this.filled));
        this.filled = 0;
        this.running = false;
        this.port.postMessage('stopped');
      } else if (e.data === 'cancel') {
        this.chunk.fill(0);
        this.filled = 0;
        this.running = false;
      }
    };
  }

  process(inputs) {
    if (!this.running) return false;
    const input = inputs[0]?.[0];
    if (!input) return true;
    let offset = 0;
    while (offset < input.length) {
      const n = Math.min(input.length - offset, this.chunk.length - this.filled);
      this.chunk.set(input.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.chunk.length) {
        this.port.postMessage(this.chunk.slice());
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('sealdesk-capture', SealDeskCapture);
