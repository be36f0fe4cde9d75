import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ProxyAnswer {
  status: number
  body: string
}

export interface ProxyHooks {
  /** Changes the upstream URL before forwarding. */
  request?(url: URL): void
  /** Rewrites an answer (status and body) before it goes back. */
  response?(url: URL, answer: ProxyAnswer, requestHeaders: Record<string, string>): ProxyAnswer
}

/** A loopback pass-through in front of the simulator, to make it misbehave in ways it does not itself offer. */
export async function startProxy(
  upstream: string,
  hooks: ProxyHooks,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', upstream)
      const original = new URL(url)
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      hooks.request?.(url)
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host') headers[k] = v
      const up = await fetch(url, {
        method: req.method ?? 'GET',
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      })
      let answer: ProxyAnswer = { status: up.status, body: await up.text() }
      if (hooks.response) answer = hooks.response(original, answer, headers)
      const retryAfter = up.headers.get('retry-after')
      res.writeHead(answer.status, {
        'content-type': up.headers.get('content-type') ?? 'application/json',
        ...(retryAfter ? { 'retry-after': retryAfter } : {}),
      })
      res.end(answer.body)
    })().catch(() => {
      res.statusCode = 502
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * Makes the exchange "not have" the klines opening in `[from, to]`, as Binance does for outages in
 * its history: a page asked to start before or inside the hole skips it and is still filled up to
 * `limit` with later bars.
 */
export function startGapProxy(upstream: string, hole: { from: number; to: number }) {
  return startProxy(upstream, {
    request(url) {
      if (url.pathname === '/api/v3/klines') url.searchParams.set('limit', '1000')
    },
    response(url, answer) {
      if (url.pathname !== '/api/v3/klines' || answer.status !== 200) return answer
      const limit = Number(url.searchParams.get('limit') ?? 500)
      const rows = JSON.parse(answer.body) as [number, ...unknown[]][]
      return {
        ...answer,
        body: JSON.stringify(rows.filter((r) => r[0] < hole.from || r[0] > hole.to).slice(0, limit)),
      }
    },
  })
}
