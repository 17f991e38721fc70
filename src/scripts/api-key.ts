// npm run api-key -- <client-name>: makes a new random API key and prints the line to put in
// API_KEYS or API_KEYS_FILE (only the SHA-256 of the key is stored in configuration).
import { createHash, randomBytes } from 'node:crypto'

const client = process.argv[2]
if (!client || !/^[A-Za-z0-9._-]{1,64}$/.test(client)) {
  process.stderr.write('usage: npm run api-key -- <client-name>   (letters, digits, . _ -; at most 64)\n')
  process.exit(2)
}
const key = randomBytes(32).toString('base64url')
const sha256 = createHash('sha256').update(key).digest('hex')
process.stdout.write(`key (give it to the client, once):  ${key}\nconfiguration entry:                ${client}:sha256:${sha256}\n`)
