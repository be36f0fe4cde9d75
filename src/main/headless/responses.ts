import { STATUS_CODES, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'

/**
 * A JSON answer (or none, for 204). Never cached: answers carry no credential, but one that
 * depends on the token (401, 204) must not be replayed from a cache to someone else. Refusals of
 * a misbehaving client close the connection, so a body it is still sending is not read.
 */
export function reply(res: ServerResponse, status: number, body?: object): void {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' }
  if (status === 400 || status === 403 || status === 405 || status === 421) headers.Connection = 'close'
  if (body === undefined) {
    res.writeHead(status, headers)
    res.end()
    return
  }
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

/**
 * An answer written straight to a socket that has no response object: a refused WebSocket
 * upgrade, or a request Node could not parse. Closes the connection once it is written, and
 * quietly drops a socket that is already gone.
 */
export function replyOnSocket(
  socket: Duplex,
  status: number,
  message: string,
  extraHeaders: Readonly<Record<string, string>>,
): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const body = JSON.stringify({ error: message })
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Cache-Control: no-store',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(extraHeaders).map(([k, v]) => `${k}: ${v}`),
  ]
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy())
  // A peer that reads nothing never lets the answer finish: it does not get to keep the socket.
  setTimeout(() => socket.destroy(), 5_000).unref()
}
