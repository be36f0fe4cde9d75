import type { MigrationStep } from '../migration'

/**
 * What the alert history is filtered and exported by, on each firing: `kind`, what fired it (the
 * alert's condition type, `compare` to `job`, or for an engine event alert the event raised:
 * `clock_skew`, `backup_failed`, `risk_limit_hit`, `trading_halted`), and `symbol` (the series'
 * symbol, or the order's or event's; null when none). Firings stored before are filled in from
 * their series and, while their alert exists, its condition; a deleted alert's old firing keeps
 * `kind` null. `alert_firings_by_symbol` serves the symbol filter in time order.
 */
export const migration: MigrationStep = {
  name: 'alert firings: kind and symbol, for the history filter and its export',
  up(db) {
    db.exec(`
    ALTER TABLE alert_firings ADD COLUMN kind TEXT;
    ALTER TABLE alert_firings ADD COLUMN symbol TEXT;
    UPDATE alert_firings SET
      symbol = json_extract(series, '$.symbol'),
      kind = (SELECT json_extract(a.spec, '$.condition.type') FROM alerts a WHERE a.id = alert_firings.alert_id);
    CREATE INDEX alert_firings_by_symbol ON alert_firings (symbol, time);
    `)
  },
}
