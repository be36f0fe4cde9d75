import type { CallContext } from '../rpc/handlers'
import type { HandlerRegistry } from '../rpc/registry'

/**
 * The registry as one WebSocket peer sees it: every call's context also says what the host
 * knows about the peer's address (whether it is loopback). The WebSocket transport builds the
 * context from the transport name and a peer id only; the host, which accepted the socket, is
 * the one that knows where it comes from.
 */
export function registryForPeer(
  registry: HandlerRegistry,
  peer: Pick<CallContext, 'loopback'>,
): HandlerRegistry {
  // Inherits everything else from the real registry; only the two entry points are wrapped.
  const view = Object.create(registry) as HandlerRegistry
  view.invoke = (name, params, ctx) => registry.invoke(name, params, { ...ctx, ...peer })
  view.subscribe = (name, params, sink, ctx) => registry.subscribe(name, params, sink, { ...ctx, ...peer })
  return view
}
