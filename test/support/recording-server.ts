import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as it reached the recording server. */
export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

export interface RecordingServer {
  url: string
  requests: RecordedRequest[]
  /** Every recorded request that carries `secret` or Binance's signing marks (an X-MBX-APIKEY header, a `signature=`). */
  leaks(secret: string): RecordedRequest[]
  close(): Promise<void>
}

/**
 * A plain HTTP server on loopback that records every request it gets: "somewhere else" an API URL
 * may be changed to. With `upstream`, it forwards each request there and passes the answer back
 * (an exchange that answers, so a client that would sign a request gets as far as signing it);
 * without, it answers 404.
 */
export async function startRecordingServer(upstream?: string): Promise<RecordingServer> {
  const requests: RecordedRequest[] = []
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const body = Buffer.concat(chunks)
      requests.push({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: body.toString('utf8'),
      })
      if (upstream === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' })
        res.end('{}')
        return
      }
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v
      const up = await fetch(new URL(req.url ?? '/', upstream), {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      })
      res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' })
      res.end(await up.text())
    })().catch(() => {
      res.statusCode = 502
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    leaks: (secret) =>
      requests.filter(
        (r) =>
          r.headers['x-mbx-apikey'] !== undefined ||
          /signature=/i.test(r.url) ||
          /signature=/i.test(r.body) ||
          JSON.stringify(r).includes(secret),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
