// Shared by the end-to-end specs: a relay on loopback that accepts the demo server's agent token,
// and a record of every WebSocket frame the pages' workers send or receive.
import { createRelay } from '../../relay/relay.mjs';
import { AGENT_TOKEN } from './playwright.config.mjs';

export async function startRelay({ port = 0, logs = [], ...options } = {}) {
  const relay = await createRelay({
    ...options, // e.g. allowedOrigins, to play a relay set up for another site
    host: '127.0.0.1',
    port,
    agents: [{ id: 'agent-1', token: AGENT_TOKEN }, { id: 'agent-2', token: `${AGENT_TOKEN}-2` }],
    log: (line) => logs.push(line),
  });
  relay.url = `ws://localhost:${relay.port}`;
  relay.logs = logs;
  return relay;
}

/**
 * Records every WebSocket frame of a page and its workers (Playwright reports sockets opened by
 * dedicated workers on the page too): payloads as Buffers, with direction and URL.
 */
export function recordFrames(page, frames = []) {
  page.on('websocket', (ws) => {
    const push = (direction) => (event) => frames.push({ direction, url: ws.url(), binary: Buffer.isBuffer(event.payload), payload: Buffer.isBuffer(event.payload) ? event.payload : Buffer.from(event.payload) });
    ws.on('framesent', push('sent'));
    ws.on('framereceived', push('received'));
  });
  return frames;
}
