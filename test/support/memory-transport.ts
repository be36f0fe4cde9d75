import { HandlerRegistry } from '../../src/main/rpc/registry'
import { RpcSession } from '../../src/main/rpc/session'
import type { DomainHandlers } from '../../src/main/rpc/handlers'
import { silentLogger, type Logger } from '../../src/main/log'
import { RpcClient } from '../../src/shared/rpc/client'
import { clientMessageSchema, serverMessageSchema } from '../../src/shared/rpc/wire'

/**
 * A client and a server session joined in memory, with every message passed through JSON and
 * the wire schemas as a real transport would (VS Code tests its IPC the same way).
 */
export function memoryPair(registry: HandlerRegistry) {
  const client = new RpcClient((msg) => {
    const wire = JSON.parse(JSON.stringify(clientMessageSchema.parse(msg)))
    queueMicrotask(() => void session.receive(wire))
  }, 20_000)
  const session = new RpcSession(
    registry,
    (msg) => {
      const wire = serverMessageSchema.parse(JSON.parse(JSON.stringify(msg)))
      queueMicrotask(() => client.receive(wire))
    },
    { transport: 'memory', peer: 'test' },
  )
  return {
    client,
    session,
    disconnect() {
      session.close()
      client.close()
    },
  }
}

/** A registry that also checks every answer and event against the contract. */
export function registryWith(handlers: DomainHandlers, log: Logger = silentLogger): HandlerRegistry {
  return new HandlerRegistry(log, { checkResults: true }).add(handlers)
}
