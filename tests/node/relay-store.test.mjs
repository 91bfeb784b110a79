// The in-memory store against the RelayStore contract that a Redis store must also meet.
import { test } from 'node:test';
import { MemoryStore } from '../../relay/store.mjs';
import { storeContract } from './relay-store-contract.mjs';

storeContract(test, () => new MemoryStore());
