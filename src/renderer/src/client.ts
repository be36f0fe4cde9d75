import { RpcClient, type CandleworkClient } from '../../shared/rpc/client'
import { HEARTBEAT_MS, serverMessageSchema } from '../../shared/rpc/wire'
import { backoffDelay, type BackoffPolicy } from '../../shared/net/backoff'
import {
  AUTH_CHECK_PATH,
  TOKEN_CHANGED_CLOSE_CODE,
  WS_PROTOCOL,
  WS_TOKEN_PREFIX,
} from '../../shared/rpc/ws-auth'
import { takeAccessToken, tokenInFragment } from './access-token'

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
 * WebSocket, authenticated with the token the host printed in the URL's fragment (see
 * access-token.ts), that reconnects by itself.
 */
export function connectClient(events: ConnectionEvents): Connection {
  if (window.candlework) {
    events.onStatus({ state: 'open', retryAt: null, failures: 0, reason: null })
    return { client: window.candlework, retryNow: () => {} }
  }
  return connectWebSocket(events)
}

// ------------------------------------------------------------------ backoff

/**
 * The link's backoff (the app's one formula, `shared/net/backoff.ts`): 0.5 s, 1 s, 2 s, 4 s …
 * at most 15 s, each moved by up to 20% either way, so many tabs do not retry in step.
 */
export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 15_000, jitter: 0.2 }

/** The wait after `failures` failed attempts (0 when an open link just dropped: that is a first failure). */
export function reconnectDelay(failures: number, random: () => number = Math.random): number {
  return backoffDelay(failures + 1, RECONNECT_BACKOFF, { random })
}

// ------------------------------------------------------------------ the reconnecting link

/** The little of a WebSocket the link needs (a fake one in unit tests). */
export interface SocketLike {
  readonly readyState: number
  send(text: string): void
  close(): void
  addEventListener(type: 'open', listener: () => void): void
  /** `code` is the WebSocket close code (4001: the host's access token was changed). */
  addEventListener(type: 'close', listener: (e: { code?: number }) => void): void
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

/** Heartbeats (see the wire's `heartbeat`) an open link may miss before it counts as dead. */
export const MISSED_HEARTBEATS = 3
/** An attempt not open by then is given up (a frozen host accepts the connection and never answers). */
export const OPEN_TIMEOUT_MS = 10_000
/** A probe not answered by then counts as "unknown": wait and retry. */
export const PROBE_TIMEOUT_MS = 5_000

const OPEN = 1
export const LOST_MESSAGE = 'Not connected to the Candlework engine: reconnecting.'
export const NEW_TOKEN_MESSAGE =
  'The engine was restarted with a new access token. Open the new URL it printed (the one ending in #token=…) to reconnect.'
export const TOKEN_CHANGED_MESSAGE =
  'The access token was changed: open the new URL the host printed (the one ending in #token=…) to reconnect.'
export const NO_TOKEN_MESSAGE =
  'This page has no access token: open the URL the Candlework host printed when it started (http://127.0.0.1:…/#token=…).'

/**
 * The state machine behind the browser's connection: attempts, exponential backoff with
 * jitter, suspending and resuming the `RpcClient` (commands in flight fail, streams are
 * re-subscribed), and giving up for good only when the host says the token is wrong or was
 * changed.
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
  /** When the open socket last brought anything (ms since the epoch). */
  private lastHeard = 0
  /** Silence after which the open socket is taken for dead: a few of the host's heartbeats. */
  private silentLimitMs = MISSED_HEARTBEATS * HEARTBEAT_MS
  private watchdog: ReturnType<typeof setTimeout> | undefined

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

  /** Gives up for good before (or instead of) any attempt, saying why: the page has no token. */
  abandon(reason: string): void {
    if (this.status.state === 'closed') return
    if (this.socket) {
      const socket = this.socket
      this.socket = null
      socket.close()
    }
    this.giveUp(reason)
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
    const openTimer = setTimeout(() => {
      if (this.socket !== socket || opened) return
      this.socket = null
      socket.close()
      this.failed()
    }, OPEN_TIMEOUT_MS)
    socket.addEventListener('open', () => {
      clearTimeout(openTimer)
      if (this.socket !== socket) return
      opened = true
      this.lastHeard = Date.now()
      this.watch(socket)
      const restored = this.everOpened
      this.everOpened = true
      for (const text of this.queue.splice(0)) socket.send(text)
      this.client.resume()
      this.emit({ state: 'open', retryAt: null, failures: 0, reason: null })
      if (restored) this.events.onRestored()
    })
    socket.addEventListener('message', (e) => {
      if (this.socket !== socket) return
      this.lastHeard = Date.now()
      let raw: unknown
      try {
        raw = JSON.parse(String(e.data))
      } catch {
        return
      }
      const parsed = serverMessageSchema.safeParse(raw)
      if (!parsed.success) return
      if (parsed.data.type === 'heartbeat') {
        const limit = MISSED_HEARTBEATS * parsed.data.everyMs
        if (limit !== this.silentLimitMs) {
          this.silentLimitMs = limit
          this.watch(socket) // the timer set for the old limit may be far off
        }
      }
      this.client.receive(parsed.data)
    })
    socket.addEventListener('close', (e) => {
      clearTimeout(openTimer)
      if (this.socket !== socket) return
      this.socket = null
      // The host closed it because its token was replaced: retrying with the old one is pointless.
      if (opened && e.code === TOKEN_CHANGED_CLOSE_CODE) this.giveUp(TOKEN_CHANGED_MESSAGE)
      else if (opened) this.dropped()
      else this.failed()
    })
  }

  /**
   * Takes the open `socket` for dead once nothing has come for `silentLimitMs`: one timer, set
   * again for the rest of the limit whenever it finds the link was heard meanwhile. Timers stop
   * while the machine sleeps, so after a wake it fires late and finds the long silence.
   */
  private watch(socket: SocketLike): void {
    clearTimeout(this.watchdog)
    const check = (): void => {
      if (this.socket !== socket) return
      const silentFor = Date.now() - this.lastHeard
      if (silentFor < this.silentLimitMs) {
        this.watchdog = setTimeout(check, this.silentLimitMs - silentFor)
        return
      }
      // Its close may never come (the peer is gone): stop listening to it and start again.
      this.socket = null
      socket.close()
      this.dropped()
    }
    this.watchdog = setTimeout(check, this.silentLimitMs)
  }

  /** The open link is gone: commands in flight fail, streams wait for the next connection. */
  private dropped(): void {
    clearTimeout(this.watchdog)
    this.watchdog = undefined
    this.client.suspend(LOST_MESSAGE)
    this.emit({ state: 'reconnecting', retryAt: null, failures: 0, reason: null })
    this.schedule()
  }

  /** An attempt never opened: a 401 means a new token (stop); anything else, wait and retry. */
  private failed(): void {
    this.socket = null
    // Anything written before the first open will be re-sent by the client on resume, or fail.
    this.queue = []
    this.client.suspend(LOST_MESSAGE)
    const failures = this.status.failures + 1
    this.emit({ state: 'reconnecting', retryAt: null, failures, reason: null })
    void withTimeout(this.options.probe(), PROBE_TIMEOUT_MS).then(
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
    const delay = reconnectDelay(this.status.failures, this.random)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.attempt()
    }, delay)
    this.emit({ ...this.status, retryAt: Date.now() + delay })
  }

  private giveUp(reason: string): void {
    clearTimeout(this.timer)
    this.timer = undefined
    clearTimeout(this.watchdog)
    this.watchdog = undefined
    // The state says "closed" before streams end, so features do not report each one.
    this.emit({ state: 'closed', retryAt: null, failures: this.status.failures, reason })
    this.client.close(reason)
  }

  private emit(status: ConnectionStatus): void {
    this.status = status
    this.events.onStatus(status)
  }
}

/** `promise`, or a rejection after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (err: unknown) => {
        clearTimeout(timer)
        reject(err instanceof Error ? err : new Error(String(err)))
      },
    )
  })
}

function connectWebSocket(events: ConnectionEvents): Connection {
  const token = takeAccessToken()
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const link = new ReconnectingLink(
    {
      // The token rides as a subprotocol, the one header a page may set on a WebSocket; the
      // host answers with WS_PROTOCOL only, so the token is never echoed or put in a URL.
      open: () =>
        new WebSocket(`${scheme}://${location.host}/ws`, [WS_PROTOCOL, WS_TOKEN_PREFIX + (token ?? '')]),
      // A browser does not tell why an upgrade failed: ask over plain HTTP whether the token is
      // still good (401 exactly when the upgrade would be refused for it).
      probe: async () => {
        const res = await fetch(AUTH_CHECK_PATH, {
          cache: 'no-store',
          credentials: 'omit',
          headers: { Authorization: `Bearer ${token ?? ''}` },
          signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        })
        return res.status === 401 ? 'unauthorized' : 'unknown'
      },
    },
    events,
  )
  if (token === null) link.abandon(NO_TOKEN_MESSAGE)
  else link.start()
  // The trader pastes the printed URL into this tab: only the fragment changes, so the page is
  // not loaded again by itself. Load it again, to take the new token and connect with it.
  window.addEventListener('hashchange', () => {
    if (tokenInFragment(location.hash) === undefined) return
    takeAccessToken()
    location.reload()
  })
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') link.retryNow()
  })
  window.addEventListener('online', () => link.retryNow())
  return { client: link.client, retryNow: () => link.retryNow() }
}
