import { connect as connectTcp, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, parseHead, rawExchange, spawnServe, type ServeProcess } from './support'
import { useTempDirs } from '../support/temp-dir'

/*
 * No request can crash the host. The host runs in its own process (the real `npm run serve`),
 * gets a few hundred malformed HTTP requests and WebSocket frames over raw TCP, and must then
 * still answer /healthz, still serve the contract and still be running.
 */

const tempDir = useTempDirs()
let serve: ServeProcess | undefined
afterEach(async () => {
  await serve?.stop()
  serve = undefined
})

/** Runs `jobs` a few at a time (a few hundred sockets at once would test the test machine). */
async function inBatches<T>(jobs: (() => Promise<T>)[], size = 32): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < jobs.length; i += size)
    out.push(...(await Promise.all(jobs.slice(i, i + size).map((j) => j()))))
  return out
}

function malformedRequests(host: string): (string | Buffer)[] {
  const H = `Host: ${host}\r\n`
  const paths = [
    '/%',
    '/%%',
    '/%zz',
    '/%f',
    '/%ff',
    '/%fe%ff',
    '/%c0%af',
    '/%ed%a0%80', // a lone surrogate
    '/%f4%90%80%80', // beyond U+10FFFF
    '/assets/%',
    '/assets/%E0%A4%A',
    '/..%2f..%2f..%2fetc%2fpasswd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%00',
    '/index.html%00.js',
    '//',
    '//evil.example/',
    '/\\..\\..\\etc\\passwd',
    `/${'a'.repeat(8000)}`,
    `/${'%'.repeat(2000)}`,
    '/healthz%',
    '/ws%',
  ]
  const requests: (string | Buffer)[] = []
  for (const path of paths) {
    for (const method of ['GET', 'HEAD', 'POST', 'OPTIONS', 'DELETE'])
      requests.push(`${method} ${path} HTTP/1.1\r\n${H}\r\n`)
    requests.push(`GET ${path} HTTP/1.0\r\n\r\n`)
  }
  // Raw bytes that are not UTF-8, in the target and in header values.
  for (const bytes of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xfe, 0xfe, 0xff]]) {
    const b = Buffer.from(bytes)
    requests.push(Buffer.concat([Buffer.from('GET /'), b, Buffer.from(` HTTP/1.1\r\n${H}\r\n`)]))
    requests.push(Buffer.concat([Buffer.from(`GET / HTTP/1.1\r\n${H}X-Bad: `), b, Buffer.from('\r\n\r\n')]))
    requests.push(Buffer.concat([Buffer.from('GET / HTTP/1.1\r\nHost: '), b, Buffer.from('\r\n\r\n')]))
  }
  const lines = [
    'GARBAGE\r\n\r\n',
    'GET\r\n\r\n',
    'GET /\r\n\r\n',
    'GET / HTTP/9.9\r\n\r\n',
    'GET / HTTP/1.1 extra\r\n\r\n',
    '\r\n\r\n\r\n',
    '\x00\x01\x02\x03\r\n\r\n',
    'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    `CONNECT 127.0.0.1:22 HTTP/1.1\r\n${H}\r\n`,
    `OPTIONS * HTTP/1.1\r\n${H}\r\n`,
    `GET http://evil.example/ HTTP/1.1\r\n${H}\r\n`,
    `GET http://${host}/ HTTP/1.1\r\n${H}\r\n`,
    'GET / HTTP/1.1\r\n\r\n', // no Host
    `GET / HTTP/1.1\r\n${H}${H}\r\n`, // two Hosts
    `GET / HTTP/1.1\r\nHost: ${host}, evil.example\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost : ${host}\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}Bad Header: x\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}X-Fold: a\r\n  folded\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}X-Nul: a\x00b\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}${'X-Many: a\r\n'.repeat(5000)}\r\n`,
    `GET / HTTP/1.1\r\n${H}Cookie: ${'c=1; '.repeat(10_000)}\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}Authorization: Bearer ${'x'.repeat(20_000)}\r\n\r\n`,
    `GET /auth-check HTTP/1.1\r\n${H}Authorization: Bearer\r\n\r\n`,
    `GET /auth-check HTTP/1.1\r\n${H}Authorization: Bearer \xff\xfe\r\n\r\n`,
    `POST / HTTP/1.1\r\n${H}Content-Length: abc\r\n\r\n`,
    `POST / HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`,
    `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello`,
    `POST / HTTP/1.1\r\n${H}Content-Length: 99999999999999999999\r\n\r\n`,
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\n`,
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n`,
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n`,
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked, chunked\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 10\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}Expect: weird\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}Origin: \xff\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}Origin: http://[::1\r\n\r\n`,
    `GET /ws HTTP/1.1\r\n${H}Upgrade: h2c\r\nConnection: Upgrade\r\n\r\n`,
    `GET /ws HTTP/1.1\r\n${H}Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
    `GET /ws HTTP/1.1\r\n${H}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    `GET /ws HTTP/1.1\r\n${H}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 99\r\n\r\n`,
    `POST /ws HTTP/1.1\r\n${H}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    `GET /ws HTTP/1.1\r\n${H}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: a b, ,\r\n\r\n`,
    `GET /nope HTTP/1.1\r\n${H}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}\r\nGARBAGE AFTER A GOOD REQUEST\r\n\r\n`, // pipelined nonsense
  ]
  requests.push(...lines)
  // Random bytes, reproducibly.
  let seed = 42
  const random = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff)
  for (let i = 0; i < 60; i++) {
    const bytes = Buffer.alloc(1 + Math.floor(random() * 400))
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256)
    requests.push(i % 2 ? Buffer.concat([Buffer.from('GET /'), bytes]) : bytes)
  }
  return requests
}

/** One WebSocket frame as a client would send it (masked unless told otherwise). */
function frame(options: {
  opcode: number
  payload?: Buffer
  fin?: boolean
  rsv?: number
  mask?: boolean
  /** A declared length that differs from the payload's. */
  length?: bigint
}): Buffer {
  const payload = options.payload ?? Buffer.alloc(0)
  const length = options.length ?? BigInt(payload.length)
  const head: number[] = [((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | options.opcode]
  const maskBit = (options.mask ?? true) ? 0x80 : 0
  let ext = Buffer.alloc(0)
  if (length < 126n) head.push(maskBit | Number(length))
  else if (length < 65536n) {
    head.push(maskBit | 126)
    ext = Buffer.alloc(2)
    ext.writeUInt16BE(Number(length))
  } else {
    head.push(maskBit | 127)
    ext = Buffer.alloc(8)
    ext.writeBigUInt64BE(length)
  }
  if (!(options.mask ?? true)) return Buffer.concat([Buffer.from(head), ext, payload])
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78])
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!))
  return Buffer.concat([Buffer.from(head), ext, key, masked])
}

function malformedFrames(): Buffer[] {
  const text = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s) : s)
  const frames: Buffer[] = [
    frame({ opcode: 0x1, payload: text('{"type":"invoke"}'), mask: false }), // clients must mask
    frame({ opcode: 0x3, payload: text('x') }), // reserved opcodes
    frame({ opcode: 0x7 }),
    frame({ opcode: 0xb }),
    frame({ opcode: 0xf, payload: text('x') }),
    frame({ opcode: 0x1, rsv: 4, payload: text('{}') }), // RSV1 without an extension
    frame({ opcode: 0x1, rsv: 7, payload: text('{}') }),
    frame({ opcode: 0x1, length: 2n ** 63n - 1n }), // absurd lengths
    frame({ opcode: 0x1, length: 2n ** 53n + 1n }),
    frame({ opcode: 0x2, length: BigInt(1 << 21) }), // over the 1 MiB limit
    frame({ opcode: 0x1, payload: Buffer.from([0xff, 0xfe, 0xfd]) }), // text that is not UTF-8
    frame({ opcode: 0x1, payload: Buffer.from([0xed, 0xa0, 0x80]) }),
    frame({ opcode: 0x1, payload: Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]) }),
    frame({ opcode: 0x0, payload: text('continuation without a start') }),
    frame({ opcode: 0x1, fin: false, payload: text('{"ty') }), // a start, then a new start
    frame({ opcode: 0x9, payload: Buffer.alloc(126) }), // control frames over 125 bytes
    frame({ opcode: 0x8, payload: Buffer.alloc(200) }),
    frame({ opcode: 0x9, fin: false, payload: text('p') }), // fragmented control frame
    frame({ opcode: 0x8, payload: Buffer.from([0x03]) }), // close with one byte
    frame({ opcode: 0x8, payload: Buffer.from([0x03, 0xe7]) }), // close code 999
    frame({ opcode: 0x8, payload: Buffer.from([0x03, 0xe8, 0xff]) }), // close reason not UTF-8
    frame({ opcode: 0x1, payload: text('not json') }),
    frame({ opcode: 0x1, payload: text('['.repeat(100_000)) }),
    frame({ opcode: 0x1, payload: text('null') }),
    frame({ opcode: 0x1, payload: text('{"type":"invoke","id":-1,"name":"system.info"}') }),
    frame({ opcode: 0x1, payload: text('{"type":"invoke","id":1,"name":"__proto__","params":{}}') }),
    frame({ opcode: 0x1, payload: text('{"type":"subscribe","id":1,"name":"constructor","params":null}') }),
    frame({
      opcode: 0x1,
      payload: text('{"__proto__":{"polluted":1},"type":"invoke","id":2,"name":"system.info","params":{}}'),
    }),
    frame({ opcode: 0x2, payload: Buffer.from([0, 1, 2, 3]) }), // binary
    Buffer.from('this is not a frame at all, just text after the upgrade\r\n'),
    Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    Buffer.from([0x81]), // half a header, then silence
  ]
  return frames
}

function handshake(host: string, token: string): string {
  return (
    `GET /ws HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${Buffer.alloc(16, 3).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
    `Authorization: Bearer ${token}\r\n\r\n`
  )
}

/** Upgrades, then sends `after` (in the same write as the handshake when `sameWrite`); the first status seen. */
function upgradeThenSend(
  port: number,
  host: string,
  token: string,
  after: Buffer,
  sameWrite: boolean,
): Promise<number> {
  return new Promise((resolve) => {
    const socket: Socket = connectTcp(port, '127.0.0.1')
    let text = ''
    let sent = false
    const done = (): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(parseHead(text).status)
    }
    const timer = setTimeout(done, 1_500)
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1')
      if (!sent && text.includes('\r\n\r\n')) {
        sent = true
        socket.write(after)
      }
    })
    socket.on('close', done)
    socket.on('error', done)
    if (sameWrite) {
      sent = true
      socket.write(Buffer.concat([Buffer.from(handshake(host, token)), after]))
    } else socket.write(handshake(host, token))
  })
}

describe('malformed input', () => {
  it('a few hundred malformed HTTP requests and WebSocket frames leave the host running and answering', async () => {
    serve = await spawnServe(tempDir())
    const { url, token } = serve
    const port = Number(new URL(url).port)
    const hostHeader = `127.0.0.1:${port}`

    const requests = malformedRequests(hostHeader)
    const answers = await inBatches(requests.map((r) => () => rawExchange(port, r, 1_000)))
    expect(serve.child.exitCode, `the host died:\n${serve.output()}`).toBeNull()
    // Every answer the host gave is a real HTTP status, never a 5xx from a handler that threw.
    for (const [i, raw] of answers.entries()) {
      if (!raw) continue // closed without a word: fine for bytes that are not HTTP
      const { status } = parseHead(raw)
      expect(
        status,
        `request #${i}: ${JSON.stringify(String(requests[i]).slice(0, 80))}`,
      ).toBeGreaterThanOrEqual(100)
      expect(status, `request #${i}`).toBeLessThan(500)
    }
    expect(answers.filter((a) => parseHead(a).status === 400).length).toBeGreaterThan(50)

    const frames = malformedFrames()
    const statuses = await inBatches(
      frames.flatMap((f) =>
        [false, true].map((sameWrite) => () => upgradeThenSend(port, hostHeader, token, f, sameWrite)),
      ),
    )
    expect(statuses.every((s) => s === 101)).toBe(true) // the frames did reach a live socket

    expect(requests.length + frames.length * 2).toBeGreaterThan(300)
    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    const script = connect(`${url.replace(/^http/, 'ws')}/ws`, { bearer: token })
    await script.ready
    expect(await script.client.invoke('system.info', {})).toMatchObject({
      ok: true,
      value: { host: 'headless' },
    })
    script.socket.close()
    expect(serve.child.exitCode).toBeNull()
    expect(serve.output()).not.toMatch(/Uncaught|unhandled|TypeError|URIError|RangeError/i)
  }, 120_000)

  it('a connection that sends half its headers and then nothing is answered 408 and closed', async () => {
    serve = await spawnServe(tempDir())
    const port = Number(new URL(serve.url).port)
    const started = Date.now()
    const raw = await rawExchange(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `, 20_000)
    expect(parseHead(raw).status).toBe(408)
    // headersTimeout (10 s), checked every second; not Node's default of a minute.
    expect(Date.now() - started).toBeLessThan(15_000)
    expect((await fetch(`${serve.url}/healthz`)).status).toBe(200)
  }, 30_000)
})
