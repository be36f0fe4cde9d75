import { z } from 'zod'
import { command } from './define'

export const systemContract = {
  'system.info': command({
    description: 'What is running: version, host kind (desktop or headless) and data folder.',
    params: z.object({}).strict(),
    result: z.object({
      version: z.string(),
      host: z.enum(['desktop', 'headless']),
      dataDir: z.string(),
      startedAt: z.number(),
    }),
  }),
}
