/**
 * `npm run serve -- [--port 5170] [--host 127.0.0.1] [--data-dir D] [--heartbeat-ms 15000]`:
 * the engine and the renderer without Electron, for a browser on this machine or for scripts.
 * `--heartbeat-ms` sets how often browsers hear the host is alive; a browser that hears nothing
 * for three of these reconnects.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { HEARTBEAT_MS } from '../../shared/rpc/wire'
import { createEngine } from '../engine'
import { resolveDataDir } from '../paths'
import { startHeadlessHost } from './server'
import { loadOrCreateToken } from './token'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.CANDLEWORK_PORT ?? '5170' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    'heartbeat-ms': { type: 'string', default: String(HEARTBEAT_MS) },
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
const loopback = /^(127\.|::1$|localhost$)/.test(values.host)
if (!loopback) {
  process.stderr.write(
    `Warning: binding to ${values.host}, which is not loopback: anyone who can reach it and has the token can trade.\n`,
  )
}

const dataDir = resolveDataDir(values['data-dir'])
const engine = createEngine({ dataDir, host: 'headless' })
const here = dirname(fileURLToPath(import.meta.url))
const starting = startHeadlessHost({
  engine,
  token: loadOrCreateToken(dataDir),
  staticDir: join(here, '../renderer'),
  port,
  host: values.host,
  heartbeatMs,
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
