// Keyed signatures of chain entries (contract 1.2). A content hash alone proves nothing against
// someone who can write to the database: they can rewrite a record and recompute every hash after
// it. Each entry therefore also carries an HMAC-SHA256, with a secret only the service holds, of
// what places it in its chain (kind, tenant, seq, contentHash, previousHash). Keys rotate: the
// first key signs, every listed key verifies, and each signature names its key (keyId).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface ChainKey {
  id: string
  secret: Buffer
}

/** What an entry's signature covers. */
export interface EntryPlace {
  kind: string
  tenant: string
  seq: number
  contentHash: string
  previousHash: string | null
}

export interface Signed {
  signature: string
  keyId: string
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/
/** 32 bytes is the size of the HMAC-SHA256 block's hash: shorter secrets are refused. */
const MIN_SECRET_BYTES = 32

export class ChainKeyError extends Error {
  override name = 'ChainKeyError'
}

export class ChainSigner {
  private readonly keys: Map<string, Buffer>
  readonly keyId: string

  constructor(keys: readonly ChainKey[]) {
    const first = keys[0]
    if (!first) throw new ChainKeyError('at least one chain signing key is needed')
    this.keyId = first.id
    this.keys = new Map(keys.map((k) => [k.id, k.secret]))
  }

  private mac(keyId: string, text: string): string | undefined {
    const secret = this.keys.get(keyId)
    return secret === undefined ? undefined : createHmac('sha256', secret).update(text).digest('hex')
  }

  private signText(text: string): Signed {
    return { signature: this.mac(this.keyId, text)!, keyId: this.keyId }
  }

  private verifyText(text: string, signed: Signed): boolean {
    const expected = this.mac(signed.keyId, text)
    if (expected === undefined || typeof signed.signature !== 'string' || signed.signature.length !== expected.length) return false
    return timingSafeEqual(Buffer.from(signed.signature), Buffer.from(expected))
  }

  signEntry(place: EntryPlace): Signed {
    return this.signText(entryText(place))
  }

  /** False for a wrong signature and for a key this service does not hold. */
  verifyEntry(place: EntryPlace, signed: Signed): boolean {
    return this.verifyText(entryText(place), signed)
  }

  signCheckpoint(tenant: string, seq: number, headHash: string): Signed {
    return this.signText(checkpointText(tenant, seq, headHash))
  }

  verifyCheckpoint(tenant: string, seq: number, headHash: string, signed: Signed): boolean {
    return this.verifyText(checkpointText(tenant, seq, headHash), signed)
  }
}

// JSON arrays: unambiguous whatever the tenant name holds, and a version tag per kind of text so a
// signature of one kind can never pass for another.
const entryText = (p: EntryPlace): string => JSON.stringify(['pra-chain-entry/1', p.kind, p.tenant, p.seq, p.contentHash, p.previousHash])
const checkpointText = (tenant: string, seq: number, headHash: string): string =>
  JSON.stringify(['pra-chain-checkpoint/1', tenant, seq, headHash])

/** `id:base64secret` entries, separated by commas or new lines; the first signs. */
export function parseChainKeys(text: string, where: string): ChainKey[] {
  const keys: ChainKey[] = []
  const entries = text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '' && !e.startsWith('#'))
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':')
    const id = entry.slice(0, colon)
    const encoded = entry.slice(colon + 1)
    if (colon < 1 || !KEY_ID.test(id) || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) {
      throw new ChainKeyError(`${where} entry ${i + 1} must be keyId:base64secret (keyId: letters, digits, . _ -)`)
    }
    const secret = Buffer.from(encoded, 'base64')
    if (secret.length < MIN_SECRET_BYTES) {
      throw new ChainKeyError(`${where} entry ${i + 1} ("${id}"): the secret must be at least ${MIN_SECRET_BYTES} bytes`)
    }
    if (keys.some((k) => k.id === id)) throw new ChainKeyError(`${where} names key "${id}" twice`)
    keys.push({ id, secret })
  })
  return keys
}

/**
 * The embedded store's key when none is configured: made once and kept beside the database in
 * DATA_DIR (mode 0600), so a fresh clone signs without any setup. It protects against an edit of
 * the database file by someone who cannot read the key file, no more.
 */
export function localChainKey(dataDir: string): ChainKey {
  const file = join(dataDir, 'chain-key')
  let encoded: string
  try {
    encoded = readFileSync(file, 'utf8').trim()
  } catch {
    encoded = randomBytes(32).toString('base64')
    writeFileSync(file, `${encoded}\n`, { mode: 0o600, flag: 'wx' })
    chmodSync(file, 0o600)
  }
  const secret = Buffer.from(encoded, 'base64')
  if (secret.length < MIN_SECRET_BYTES) throw new ChainKeyError(`${file} does not hold a key of at least ${MIN_SECRET_BYTES} bytes`)
  return { id: `local-${createHash('sha256').update(secret).digest('hex').slice(0, 8)}`, secret }
}
