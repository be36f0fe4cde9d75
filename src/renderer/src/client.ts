import { RpcClient, type CandleworkClient } from '../../shared/rpc/client'
import { serverMessageSchema } from '../../shared/rpc/wire'

/**
 * - `connecting`: the first connection is being made.
 * - `open`: connected.
 * - `reconnecting`: the link dropped; a new attempt is under way or waiting (`retryAt`).
 * - `closed`: given up for good (`reason` says why); only a new page can connect again.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed'

export interface ConnectionStatus {
  state: ConnectionState
  /** While `reconnecting`: when the next attempt starts (ms since the epoch), or null while one is under way. */
  retryAt: number | null
  /** Failed attempts since the link was last open. */
  failures: number
  /** While `closed`: what happened and what to do, in words. */
  reason: string | null
}

export interface ConnectionEvents {
  /** Every change of state (and of the retry time). */
  onStatus(status: ConnectionStatus): void
  /** The link came back and every stream was subscribed again: stores should refresh their snapshots. */
  onRestored(): void
}

export interface Connection {
  client: CandleworkClient
  /** Skips the wait and tries now (no-op unless waiting to reconnect). */
  retryNow(): void
}

/**
 * The one client the renderer uses. In the desktop app the preload provides it (IPC does not
 * drop, so it never reconnects); in a browser (headless host) it is the same protocol over a
 * WebSocket, authenticated with the token the host printed in the URL (or its cookie), that
 * reconnects by itself.
 */
export function connectClient(events: ConnectionEvents): Connection {
  if (window.candlework) {
    events.onStatus({ state: 'open', retryAt: null, failures: 0, reason: null })
    return { client: window.candlework, retryNow: () => {} }
  }
  return connectWebSocket(events)
}

// ------------------------------------------------------------------ backoff

export const BACKOFF_BASE_MS = 500
export const BACKOFF_CAP_MS = 15_000
/** Each delay is moved by up to this share either way, so many tabs do not retry in step. */
export const BACKOFF_JITTER = 0.2

/**
 * The wait after `failures` failed attempts (0 when an open link just dropped): 0.5 s, 1 s,
 * 2 s, 4 s … at most 15 s, each with jitter.
 */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const plain = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures))
  const jittered = plain * (1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random())
  return Math.round(Math.min(BACKOFF_CAP_MS, jittered))
}

// ------------------------------------------------------------------ the reconnecting link

/** The little of a WebSocket the link needs (a fake one in unit tests). */
export interface SocketLike {
  readonly readyState: number
  send(text: string): void
  close(): void
  addEventListener(type: 'open' | 'close', listener: () => void): void
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void
}

/** What a failed attempt turned out to be: the host answered 401 (a new token), or anything else. */
export type ProbeResult = 'unauthorized' | 'unknown'

export interface LinkOptions {
  /** Opens one socket (one attempt). */
  open(): SocketLike
  /** Called after an attempt failed to open: asks the host over HTTP why. */
  probe(): Promise<ProbeResult>
  random?: () => number
}

const OPEN = 1
export const LOST_MESSAGE = 'Not connected to the Candlework engine: reconnecting.'
export const NEW_TOKEN_MESSAGE =
  'The engine was restarted with a new access token. Open the new URL it printed (the one with ?token=…) to reconnect.'

/**
 * The state machine behind the browser's connection: attempts, exponential backoff with
 * jitter, suspending and resuming the `RpcClient` (commands in flight fail, streams are
 * re-subscribed), and giving up for good only when the host says the token is wrong.
 */
export class ReconnectingLink {
  readonly client: RpcClient
  private socket: SocketLike | null = null
  private status: ConnectionStatus = { state: 'connecting', retryAt: null, failures: 0, reason: null }
  private everOpened = false
  /** Messages written before the very first open (the app starts before the socket is up). */
  private queue: string[] = []
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly random: () => number

  constructor(
    private readonly options: LinkOptions,
    private readonly events: ConnectionEvents,
    timeoutMs?: number,
  ) {
    this.random = options.random ?? Math.random
    this.client = new RpcClient((msg) => {
      const text = JSON.stringify(msg)
      if (this.socket?.readyState === OPEN) this.socket.send(text)
      else if (!this.everOpened) this.queue.push(text)
      // Otherwise the socket is going: the client is suspended as soon as it says so.
    }, timeoutMs)
  }

  get current(): ConnectionStatus {
    return this.status
  }

  start(): void {
    this.emit({ state: 'connecting', retryAt: null, failures: 0, reason: null })
    this.attempt()
  }

  /** Tries at once if waiting between attempts (the trader asked, the page is visible again, the network is back). */
  retryNow(): void {
    if (this.status.state !== 'reconnecting' || this.socket) return
    this.attempt()
  }

  private attempt(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.status.state === 'reconnecting') this.emit({ ...this.status, retryAt: null })
    let opened = false
    let socket: SocketLike
    try {
      socket = this.options.open()
    } catch {
      this.failed()
      return
    }
    this.socket = socket
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return
      opened = true
      const restored = this.everOpened
      this.everOpened = true
      for (const text of this.queue.splice(0)) socket.send(text)
      this.client.resume()
      this.emit({ state: 'open', retryAt: null, failures: 0, reason: null })
      if (restored) this.events.onRestored()
    })
    socket.addEventListener('message', (e) => {
      if (this.socket !== socket) return
      let raw: unknown
      try {
        raw = JSON.parse(String(e.data))
      } catch {
        return
      }
      const parsed = serverMessageSchema.safeParse(raw)
      if (parsed.success) this.client.receive(parsed.data)
    })
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return
      this.socket = null
      if (opened) {
        this.client.suspend(LOST_MESSAGE)
        this.emit({ state: 'reconnecting', retryAt: null, failures: 0, reason: null })
        this.schedule()
      } else {
        this.failed()
      }
    })
  }

  /** An attempt never opened: a 401 means a new token (stop); anything else, wait and retry. */
  private failed(): void {
    this.socket = null
    // Anything written before the first open will be re-sent by the client on resume, or fail.
    this.queue = []
    this.client.suspend(LOST_MESSAGE)
    const failures = this.status.failures + 1
    this.emit({ state: 'reconnecting', retryAt: null, failures, reason: null })
    void this.options.probe().then(
      (result) => {
        if (this.status.state !== 'reconnecting' || this.socket) return
        if (result === 'unauthorized') this.giveUp(NEW_TOKEN_MESSAGE)
        else this.schedule()
      },
      () => this.schedule(),
    )
  }

  private schedule(): void {
    // Not while an attempt is under way (the trader's "Reconnect now" during a probe).
    if (this.status.state !== 'reconnecting' || this.timer !== undefined || this.socket) return
    const delay = backoffDelay(this.status.failures, this.random)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.attempt()
    }, delay)
    this.emit({ ...this.status, retryAt: Date.now() + delay })
  }

  private giveUp(reason: string): void {
    clearTimeout(this.timer)
    this.timer = undefined
    // The state says "closed" before streams end, so features do not report each one.
    this.emit({ state: 'closed', retryAt: null, failures: this.status.failures, reason })
    this.client.close(reason)
  }

  private emit(status: ConnectionStatus): void {
    this.status = status
    this.events.onStatus(status)
  }
}

function connectWebSocket(events: ConnectionEvents): Connection {
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const query = `?token=${encodeURIComponent(token)}`
  const link = new ReconnectingLink(
    {
      open: () => new WebSocket(`${scheme}://${location.host}/ws${query}`),
      // A browser does not tell why an upgrade failed: ask the same path over plain HTTP,
      // which answers 401 exactly when the upgrade would.
      probe: async () => {
        const res = await fetch(`/ws${query}`, {
          method: 'HEAD',
          cache: 'no-store',
          credentials: 'same-origin',
        })
        return res.status === 401 ? 'unauthorized' : 'unknown'
      },
    },
    events,
  )
  link.start()
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') link.retryNow()
  })
  window.addEventListener('online', () => link.retryNow())
  return { client: link.client, retryNow: () => link.retryNow() }
}
