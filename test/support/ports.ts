import { createServer } from 'node:net'

/** A local port nothing listens on: bound, then released, so every request to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  await new Promise<void>((r) => server.close(() => r()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}
