import type { WebSocket } from 'ws'
import type { HandlerRegistry } from '../rpc/registry'
import { RpcSession } from '../rpc/session'

/** Serves the contract over one WebSocket: a JSON message per frame, one session per socket. */
export function serveWebSocket(socket: WebSocket, registry: HandlerRegistry, peer: string): RpcSession {
  const session = new RpcSession(
    registry,
    (msg) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg))
    },
    { transport: 'websocket', peer },
  )
  socket.on('message', (data) => {
    let parsed: unknown
    try {
      parsed = JSON.parse(data.toString())
    } catch {
      return // not JSON: not our protocol, nothing to answer
    }
    void session.receive(parsed)
  })
  socket.on('close', () => session.close())
  socket.on('error', () => session.close())
  return session
}
