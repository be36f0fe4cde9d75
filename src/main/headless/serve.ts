/**
 * `npm run serve -- [--port 5170] [--host 127.0.0.1] [--data-dir D] [--heartbeat-ms 15000] [--new-token]`:
 * the engine and the renderer without Electron, for a browser on this machine or for scripts.
 * `--heartbeat-ms` sets how often browsers hear the host is alive; a browser that hears nothing
 * for three of these reconnects. `--new-token` replaces the access token before starting.
 * A `--host` that is not loopback needs `--allow-remote` and `--tls-cert F --tls-key F` (or
 * `--insecure-http`): see bind-policy.ts.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { HEARTBEAT_MS } from '../../shared/rpc/wire'
import { createEngine } from '../engine'
import { logCrashes } from '../log'
import { resolveDataDir, secretsFile } from '../paths'
import { headlessPassphrase } from '../secrets/passphrase-source'
import { decideBinding } from './bind-policy'
import { startHeadlessHost } from './server'
import { loadOrCreateToken, writeNewToken } from './token'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.CANDLEWORK_PORT ?? '5170' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    // The API keys' passphrase: a 0600 file, else asked on the terminal (secrets/passphrase-source.ts).
    'passphrase-file': { type: 'string' },
    'heartbeat-ms': { type: 'string', default: String(HEARTBEAT_MS) },
    'new-token': { type: 'boolean', default: false },
    'allow-remote': { type: 'boolean', default: false },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'insecure-http': { type: 'boolean', default: false },
  },
})

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a whole number from 0 to 65535, got "${values.port}"\n`)
  process.exit(2)
}
const heartbeatMs = Number(values['heartbeat-ms'])
if (!Number.isInteger(heartbeatMs) || heartbeatMs < 100 || heartbeatMs > 600_000) {
  process.stderr.write(
    `--heartbeat-ms must be a whole number of milliseconds from 100 to 600000, got "${values['heartbeat-ms']}"\n`,
  )
  process.exit(2)
}
const binding = decideBinding({
  host: values.host,
  allowRemote: values['allow-remote'],
  tlsCert: values['tls-cert'],
  tlsKey: values['tls-key'],
  insecureHttp: values['insecure-http'],
})
if (!binding.ok) {
  process.stderr.write(`${binding.error}\n`)
  process.exit(2)
}
if (binding.warning) process.stderr.write(`${binding.warning}\n`)
let tls: { cert: Buffer; key: Buffer } | undefined
try {
  tls = binding.tls
    ? { cert: readFileSync(binding.tls.certFile), key: readFileSync(binding.tls.keyFile) }
    : undefined
} catch (err) {
  process.stderr.write(`Cannot read the TLS certificate or key: ${(err as Error).message}\n`)
  process.exit(2)
}

const dataDir = resolveDataDir(values['data-dir'])
// Asked before anything is served, so no output of the host cuts into the question.
const passphrase = await headlessPassphrase({
  secretsFile: secretsFile(dataDir),
  passphraseFile: values['passphrase-file'],
}).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(2)
})
const engine = createEngine({ dataDir, host: 'headless', passphrase })
logCrashes(engine.log)
const here = dirname(fileURLToPath(import.meta.url))
const starting = startHeadlessHost({
  engine,
  token: values['new-token'] ? writeNewToken(dataDir) : loadOrCreateToken(dataDir),
  staticDir: join(here, '../renderer'),
  port,
  host: values.host,
  heartbeatMs,
  tls,
  onTokenChanged: (url) =>
    process.stdout.write(
      `The access token was changed; connections using the old one were closed.\nOpen ${url}\n`,
    ),
})
let stopping = false

// Registered before the first await, so a signal during start-up still closes the database.
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  process.stdout.write(`${signal}: shutting down\n`)
  const host = await starting.catch(() => undefined)
  await host?.close()
  await engine.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

const host = await starting
if (!stopping) process.stdout.write(`Candlework headless host on ${host.url}\nOpen ${host.appUrl}\n`)
