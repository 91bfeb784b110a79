// Moves bytes between JS and the WASM heap, and turns raw results (>= 0 or -Status) into values
// or SealDeskErrors. Every module wrapper in js/core/ goes through here, so heap copies, wiping
// and error mapping are written once.
import { SealDeskError } from '../errors.js';

export class Heap {
  constructor(module) {
    this.m = module;
  }

  // The heap can grow (ALLOW_MEMORY_GROWTH), which replaces the buffer: never cache a view.
  get u8() {
    return this.m.HEAPU8;
  }

  alloc(size) {
    const ptr = this.m._malloc(Math.max(size, 1));
    if (!ptr) throw new SealDeskError('OUT_OF_MEMORY', 'out of memory in the WASM heap');
    return ptr;
  }

  /**
   * Runs fn with heap copies of the given buffers, then zeroes and frees every allocation.
   * @param {Array<Uint8Array|Int16Array|number>} inputs a typed array is copied in; a number
   *   reserves that many zeroed bytes for output
   * @param {(...ptrs: number[]) => any} fn receives one heap offset per input
   */
  with(inputs, fn) {
    const ptrs = [];
    const sizes = [];
    try {
      for (const input of inputs) {
        const size = typeof input === 'number' ? input : input.byteLength;
        const ptr = this.alloc(size);
        ptrs.push(ptr);
        sizes.push(size);
        if (typeof input === 'number') this.u8.fill(0, ptr, ptr + size);
        else this.u8.set(new Uint8Array(input.buffer, input.byteOffset, input.byteLength), ptr);
      }
      return fn(...ptrs);
    } finally {
      // Inputs may be keys or plaintext: zero them before they go back to the allocator.
      ptrs.forEach((ptr, i) => {
        this.u8.fill(0, ptr, ptr + sizes[i]);
        this.m._free(ptr);
      });
    }
  }

  // A fixed-size input (key, seed, id): the core reads exactly `size` bytes from its copy, so a
  // shorter array must be refused here, before it is copied.
  exact(bytes, size, what) {
    if (!(bytes instanceof Uint8Array) || bytes.byteLength !== size) {
      throw new SealDeskError('INVALID_ARGUMENT', `${what} must be ${size} bytes`);
    }
    return bytes;
  }

  copyOut(ptr, size) {
    return this.u8.slice(ptr, ptr + size);
  }

  // A raw result: >= 0 is returned, < 0 becomes a SealDeskError with the core's detail.
  check(rc) {
    if (rc >= 0) return rc;
    const last = this.m._takeLastError();
    throw this.error(-rc, last.status === -rc ? last.detail : '');
  }

  // A handle factory's result: an object, or null with the error kept by the core.
  checkHandle(handle) {
    if (handle) return handle;
    const last = this.m._takeLastError();
    throw this.error(last.status, last.detail);
  }

  // A core output handed over as a heap view (or null on failure): copied out at once.
  takeOutput(view) {
    if (view === null || view === undefined) return this.checkHandle(null);
    return view.slice();
  }

  /** A block this owner reuses across calls (see HeapBuffer). */
  buffer() {
    return new HeapBuffer(this);
  }

  error(status, detail) {
    const message = this.m._statusMessage(status);
    return new SealDeskError(this.m._statusName(status), detail ? `${message}: ${detail}` : message, {
      status,
      detail,
    });
  }
}

/**
 * A heap block reused across calls by one owner (a codec's frames, the masker's input): per-call
 * malloc, zeroing and free cost more than a 20 ms Opus frame's copy. It is zeroed when it is
 * replaced by a bigger one and on release(), so what passed through it goes with its owner.
 */
export class HeapBuffer {
  constructor(heap) {
    this.heap = heap;
    this.ptr = 0;
    this.cap = 0;
  }

  /** Returns a block of at least size bytes (its offset). May grow the heap: refresh views. */
  reserve(size) {
    if (size > this.cap || !this.ptr) {
      this.release();
      this.cap = Math.max(size, 64);
      this.ptr = this.heap.alloc(this.cap);
    }
    return this.ptr;
  }

  /** Copies bytes into the block, reserving it first; returns its offset. */
  put(input) {
    const ptr = this.reserve(input.byteLength);
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.heap.u8.set(bytes, ptr);
    return ptr;
  }

  release() {
    if (this.ptr) {
      this.heap.u8.fill(0, this.ptr, this.ptr + this.cap);
      this.heap.m._free(this.ptr);
    }
    this.ptr = 0;
    this.cap = 0;
  }
}
