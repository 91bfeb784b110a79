#!/usr/bin/env node
// sealdesk-relay [options]: the relay program (options: sealdesk-relay --help, or relay/README.md).
import { main } from '../server.mjs';

main();
