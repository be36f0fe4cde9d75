import type { WebSocket } from 'ws'
import { CLOSE_BINARY_FRAME, CLOSE_NOT_PROTOCOL, HEARTBEAT_MS } from '../../shared/rpc/wire'
import type { HandlerRegistry } from '../rpc/registry'
import { RpcSession, type SessionLimits } from '../rpc/session'
import { closeReason, Outbox, type OutboxLimits } from './outbox'

export interface SocketOptions {
  /** How often to say "still here" and check the peer still answers (default HEARTBEAT_MS). */
  heartbeatMs?: number
  /** Subscriptions and call rate per connection (defaults in session.ts). */
  limits?: SessionLimits
  /**
   * Calls one peer may have running at once (default 16): past it the host reads no more of
   * its frames until one finishes, so one peer cannot queue unbounded work.
   */
  maxInFlight?: number
  /** Backpressure bounds (defaults in outbox.ts). */
  outbox?: OutboxLimits
}

export const DEFAULT_MAX_IN_FLIGHT = 16

/**
 * Serves the contract over one WebSocket: a JSON message per frame, one session per socket.
 *
 * Every `heartbeatMs` the socket gets a WebSocket ping and a `heartbeat` message. The message
 * lets the browser notice a dead link (it cannot send pings itself); the ping lets us notice a
 * dead browser: a peer that has not answered the previous ping by the next one is cut off, which
 * ends its session and its streams instead of feeding a socket nobody reads.
 *
 * One peer cannot exhaust the host: what it is sent goes through an `Outbox` (backpressure,
 * coalesced events, large answers in fragments); the host stops reading its frames while it is
 * behind or has `maxInFlight` calls running; the session caps its subscriptions and call rate.
 * A frame the host cannot answer (binary, not JSON, no usable id) closes the socket with a
 * reason (wire.ts), so the peer learns at once instead of waiting for an answer that cannot come.
 */
export function serveWebSocket(
  socket: WebSocket,
  registry: HandlerRegistry,
  peer: string,
  options: SocketOptions = {},
): RpcSession {
  const everyMs = options.heartbeatMs ?? HEARTBEAT_MS
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT
  let inFlight = 0
  let readingPaused = false
  let answered = true
  let ended = false
  /**
   * Frames read but not yet handled. Pausing the socket stops new data, but ws still emits
   * every frame of the chunk it already has, so those wait here (at most a chunk's worth).
   */
  const waiting: unknown[] = []

  /** A call is due to start in the check phase of this turn of the event loop. */
  let startScheduled = false
  const canStart = (): boolean => !ended && waiting.length > 0 && inFlight < maxInFlight && !outbox.isBehind

  // Frames are handled while the peer keeps up and has a free slot; otherwise reading stops.
  // While it is stopped the peer's pongs go unread too, so the heartbeat does not count them
  // (the outbox cuts off a peer that reads nothing). Calls start one per turn of the event
  // loop, from setImmediate, even when one chunk of data held many frames: what a call does
  // before its first await (reading 100,000 bars, say) then never adds up with the next one's
  // into one long block, and other sockets (/healthz too) are read between every two.
  const drain = (): void => {
    if (!startScheduled && canStart()) {
      startScheduled = true
      setImmediate(() => {
        startScheduled = false
        if (canStart()) start(waiting.shift())
        drain()
      })
    }
    const pause = !ended && (waiting.length > 0 || inFlight >= maxInFlight || outbox.isBehind)
    if (pause === readingPaused) return
    readingPaused = pause
    if (pause) socket.pause()
    else {
      socket.resume()
      answered = true
    }
  }
  const start = (frame: unknown): void => {
    inFlight++
    session
      .receive(frame)
      .catch(() => refuse(1011, 'an answer could not be sent'))
      .finally(() => {
        inFlight--
        drain()
      })
  }
  const outbox: Outbox = new Outbox(socket, options.outbox, drain, () => end())
  const session = new RpcSession(
    registry,
    (msg, coalesce) => outbox.send(msg, coalesce),
    { transport: 'websocket', peer },
    { ...options.limits, onUnanswerable: (reason) => refuse(CLOSE_NOT_PROTOCOL, reason) },
  )
  const refuse = (code: number, reason: string): void => {
    end()
    socket.close(code, closeReason(`Closed: ${reason}`))
  }

  socket.on('pong', () => (answered = true))
  const heartbeat = setInterval(() => {
    if (!answered && !readingPaused) {
      socket.terminate()
      return
    }
    answered = false
    socket.ping()
    outbox.send({ type: 'heartbeat', everyMs })
  }, everyMs)
  // The first one at once: the browser learns the interval before it has to wait for it.
  outbox.send({ type: 'heartbeat', everyMs })

  socket.on('message', (data, isBinary) => {
    if (ended) return
    if (isBinary) {
      refuse(CLOSE_BINARY_FRAME, 'binary frames are not part of the protocol: send JSON text')
      return
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(data.toString())
    } catch {
      refuse(CLOSE_NOT_PROTOCOL, 'a frame was not JSON')
      return
    }
    waiting.push(parsed)
    drain()
  })
  function end(): void {
    ended = true
    waiting.length = 0
    // Reading again lets the close handshake finish (the peer's close frame must be read).
    if (readingPaused) socket.resume()
    readingPaused = false
    clearInterval(heartbeat)
    session.close()
    outbox.close()
  }
  socket.on('close', end)
  socket.on('error', end)
  return session
}
