/**
 * The statuses of an order still in play (the ones the order path looks up by status). The
 * tables themselves are created by storage's migrations (src/main/storage/migrations/, from
 * 0003-trading.ts on).
 */
export const ACTIVE_STATUSES_SQL = "('pending', 'sent', 'unknown', 'open', 'partially_filled')"
