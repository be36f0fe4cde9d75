import type { Exchange } from 'ccxt'

interface WsClientLike {
  future(messageHash: string): Promise<unknown>
  send(message: unknown): Promise<unknown>
}

const noop = () => undefined
const guarded = new WeakSet<object>()

/**
 * Keeps ccxt.pro's internal websocket promises from surfacing as unhandled rejections (which end a
 * Node process by default). ccxt rejects some promises nobody awaits: the subscribe message it
 * sends after the rate limiter when the socket closed meanwhile (`client.send` inside
 * `throttle().then`), and the shared `authenticate:…` future when a user data subscription is
 * refused. Every future and send of each websocket client gets a no-op handler attached; whoever
 * awaits them (the `watch*` call) still sees the rejection.
 */
export function guardWsClients(ex: Exchange): void {
  const holder = ex as unknown as { client?: (url: string) => WsClientLike }
  const original = holder.client
  if (typeof original !== 'function' || guarded.has(ex)) return
  guarded.add(ex)
  holder.client = (url: string) => {
    const client = original.call(ex, url)
    if (!guarded.has(client)) {
      guarded.add(client)
      const future = client.future.bind(client)
      const send = client.send.bind(client)
      client.future = (hash) => {
        const f = future(hash)
        f.catch(noop)
        return f
      }
      client.send = (message) => {
        const p = send(message)
        p.catch(noop)
        return p
      }
    }
    return client
  }
}
