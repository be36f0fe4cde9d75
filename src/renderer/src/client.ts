import { RpcClient, type CandleworkClient } from '../../shared/rpc/client'
import { serverMessageSchema } from '../../shared/rpc/wire'

export type ConnectionState = 'connecting' | 'open' | 'closed'

/**
 * The one client the renderer uses. In the desktop app the preload provides it; in a
 * browser (headless host) it is the same protocol over a WebSocket, authenticated with the
 * token the host printed in the URL.
 */
export function connectClient(onState: (s: ConnectionState) => void): CandleworkClient {
  if (window.candlework) {
    onState('open')
    return window.candlework
  }
  return connectWebSocket(onState)
}

function connectWebSocket(onState: (s: ConnectionState) => void): CandleworkClient {
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const socket = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`)
  const queue: string[] = []
  const client = new RpcClient((msg) => {
    const text = JSON.stringify(msg)
    if (socket.readyState === WebSocket.OPEN) socket.send(text)
    else queue.push(text)
  })
  onState('connecting')
  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text)
    onState('open')
  })
  socket.addEventListener('message', (e) => {
    const parsed = serverMessageSchema.safeParse(JSON.parse(String(e.data)))
    if (parsed.success) client.receive(parsed.data)
  })
  socket.addEventListener('close', () => {
    client.close('The connection to the Candlework engine closed')
    onState('closed')
  })
  return client
}
