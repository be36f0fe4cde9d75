import { z } from 'zod'
import { command } from './define'

export const systemContract = {
  'system.info': command({
    description:
      'What is running: version, host kind (desktop or headless), data folder and start time. ' +
      'The data folder is null for a client on another machine.',
    params: z.object({}).strict(),
    result: z.object({
      version: z.string(),
      host: z.enum(['desktop', 'headless']),
      /** Null unless the caller is the desktop app or on this machine (loopback). */
      dataDir: z.string().nullable(),
      startedAt: z.number(),
    }),
  }),
}
