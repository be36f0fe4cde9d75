import type { DomainHandlers } from '../rpc/handlers'

export interface SystemDeps {
  version: string
  host: 'desktop' | 'headless'
  dataDir: string
  startedAt: number
}

export function systemHandlers(info: SystemDeps): DomainHandlers {
  return {
    'system.info': () => ({ ...info }),
  }
}
