import type { systemContract } from '../../shared/contract/system'
import type { Domain } from '../domain'
import type { CallContext } from '../rpc/handlers'

export interface SystemDeps {
  version: string
  host: 'desktop' | 'headless'
  dataDir: string
  startedAt: number
}

/** What the engine is and where it keeps its files; it holds no resource. */
export function createSystemDomain(info: SystemDeps): Domain<typeof systemContract> {
  return {
    name: 'system',
    handlers: {
      'system.info': (_params, ctx) => ({ ...info, dataDir: mayKnowPaths(ctx) ? info.dataDir : null }),
    },
  }
}

/**
 * Whether the caller may learn where files are on this machine: the desktop app's windows,
 * in-process callers, and WebSocket peers on this machine. A path names the user (home folder)
 * and the layout of the disk, which is none of a remote client's business.
 */
function mayKnowPaths(ctx: CallContext): boolean {
  return ctx.transport !== 'websocket' || ctx.loopback === true
}
