// Worker and worklet scripts (desk/desk-worker.js, media/frame-transform-worker.js,
// media/capture-worklet.js, media/playback-worklet.js) are loaded by URL, never imported:
// exported so a bundler or CDN can place them, with nothing to import.
export {};
