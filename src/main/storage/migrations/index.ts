import type { Migration, MigrationStep } from '../migration'
import { migration as m0001 } from './0001-candles'
import { migration as m0002 } from './0002-settings'
import { migration as m0003 } from './0003-trading'
import { migration as m0004 } from './0004-exchange'
import { migration as m0005 } from './0005-signals'
import { migration as m0006 } from './0006-paper-fills'
import { migration as m0007 } from './0007-hot-indexes'
import { migration as m0008 } from './0008-order-types'
import { migration as m0009 } from './0009-decimal-text'
import { migration as m0010 } from './0010-account-mode'
import { migration as m0011 } from './0011-journal'
import { migration as m0012 } from './0012-alerts'
import { migration as m0013 } from './0013-scheduler'
import { migration as m0014 } from './0014-alert-firing-kind'
import { migration as m0015 } from './0015-backtests'
import { migration as m0016 } from './0016-backups'
import { migration as m0017 } from './0017-journal-export'
import { migration as m0018 } from './0018-risk'
import { migration as m0019 } from './0019-watchlists'
import { migration as m0020 } from './0020-health-samples'
import { migration as m0021 } from './0021-drawings'
import { migration as m0022 } from './0022-strategy-runs'
import { migration as m0023 } from './0023-live-runs'

/**
 * Every schema change, in order: a change is a new numbered file in this folder and one line
 * here, and its version is its place in the list (test/storage/migrations/order.test.ts checks
 * that the file numbers and this list agree). Never edit a migration that has shipped: add one.
 * Each file has its own test in test/storage/migrations/.
 */
const STEPS: readonly MigrationStep[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
  m0016,
  m0017,
  m0018,
  m0019,
  m0020,
  m0021,
  m0022,
  m0023,
]

export const MIGRATIONS: readonly Migration[] = STEPS.map((step, i) => ({ ...step, version: i + 1 }))
