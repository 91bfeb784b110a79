// AudioWorklet processor: plays the 20 ms frames the desk worker decoded from the relay (live
// audio fallback). A small ring buffer absorbs the timer jitter of the worker and the main
// thread; an underrun plays silence (the core already concealed lost packets). Reports what it
// played to the page every second: frames, underruns and the RMS level (numbers only).
const CAPACITY = 48000; // 1 s at 48 kHz

class SealDeskPlayback extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ring = new Float32Array(CAPACITY);
    this.read = 0;
    this.write = 0;
    this.stats = { frames: 0, underruns: 0, sumSquares: 0, samples: 0 };
    this.running = true;
    this.port.onmessage = (e) => {
      if (e.data === 'stop') {
        this.running = false;
        this.ring.fill(0);
        return;
      }
      const frame = e.data;
      for (let i = 0; i < frame.length; i++) {
        this.ring[this.write] = frame[i];
        this.write = (this.write + 1) % CAPACITY;
        if (this.write === this.read) this.read = (this.read + 1) % CAPACITY; // overrun: drop the oldest
      }
      this.stats.frames++;
    };
  }

  process(_inputs, outputs) {
    if (!this.running) return false;
    const out = outputs[0][0];
    for (let i = 0; i < out.length; i++) {
      if (this.read === this.write) {
        out.fill(0, i);
        this.stats.underruns++;
        break;
      }
      const v = this.ring[this.read];
      out[i] = v;
      this.stats.sumSquares += v * v;
      this.stats.samples++;
      this.read = (this.read + 1) % CAPACITY;
    }
    for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    if (this.stats.samples >= sampleRate) {
      this.port.postMessage({ frames: this.stats.frames, underruns: this.stats.underruns, level: Math.sqrt(this.stats.sumSquares / this.stats.samples) });
      this.stats.sumSquares = 0;
      this.stats.samples = 0;
    }
    return true;
  }
}

registerProcessor('sealdesk-playback', SealDeskPlayback);
