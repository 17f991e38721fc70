// A chain signer with a fixed test key, for tests that open a decision store themselves.
import { ChainSigner } from '../../src/store/signing.js'

export const TEST_CHAIN_KEY = { id: 'test-2026', secret: Buffer.alloc(32, 7) }
/** CHAIN_KEYS for a server process: the same key. */
export const TEST_CHAIN_KEYS = `test-2026:${TEST_CHAIN_KEY.secret.toString('base64')}`
export const testSigner = (): ChainSigner => new ChainSigner([TEST_CHAIN_KEY])
