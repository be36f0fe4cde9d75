import type { WebSocket } from 'ws'
import { HEARTBEAT_MS, type ServerMessage } from '../../shared/rpc/wire'
import type { HandlerRegistry } from '../rpc/registry'
import { RpcSession } from '../rpc/session'

export interface SocketOptions {
  /** How often to say "still here" and check the peer still answers (default HEARTBEAT_MS). */
  heartbeatMs?: number
}

/**
 * Serves the contract over one WebSocket: a JSON message per frame, one session per socket.
 *
 * Every `heartbeatMs` the socket gets a WebSocket ping and a `heartbeat` message. The message
 * lets the browser notice a dead link (it cannot send pings itself); the ping lets us notice a
 * dead browser: a peer that has not answered the previous ping by the next one is cut off, which
 * ends its session and its streams instead of feeding a socket nobody reads.
 */
export function serveWebSocket(
  socket: WebSocket,
  registry: HandlerRegistry,
  peer: string,
  options: SocketOptions = {},
): RpcSession {
  const everyMs = options.heartbeatMs ?? HEARTBEAT_MS
  const send = (msg: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg))
  }
  const session = new RpcSession(registry, send, { transport: 'websocket', peer })
  let answered = true
  socket.on('pong', () => (answered = true))
  const heartbeat = setInterval(() => {
    if (!answered) {
      socket.terminate()
      return
    }
    answered = false
    socket.ping()
    send({ type: 'heartbeat', everyMs })
  }, everyMs)
  // The first one at once: the browser learns the interval before it has to wait for it.
  send({ type: 'heartbeat', everyMs })
  socket.on('message', (data) => {
    let parsed: unknown
    try {
      parsed = JSON.parse(data.toString())
    } catch {
      return // not JSON: not our protocol, nothing to answer
    }
    void session.receive(parsed)
  })
  const end = (): void => {
    clearInterval(heartbeat)
    session.close()
  }
  socket.on('close', end)
  socket.on('error', end)
  return session
}
