import type { MigrationStep } from '../migration'

/**
 * The risk engine (src/main/risk): limits per scope (`global` or an account id) as validated
 * JSON; the trading state per scope (ACTIVE / REDUCING / HALTED, with who set it, why, and
 * until when a rule's state lasts); the trading day of each account (its start, the unrealised
 * P&L at the reset, the realised P&L before it and the peak equity seen), so a restart keeps
 * today's loss and the drawdown; and the audit log of every decision. No foreign keys to
 * accounts: the audit log outlives a deleted account, as a record should.
 */
export const migration: MigrationStep = {
  name: 'risk: limits, trading state, trading day and audit log',
  up(db) {
    db.exec(`
    CREATE TABLE risk_limits (
      scope TEXT PRIMARY KEY,
      limits TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE risk_state (
      scope TEXT PRIMARY KEY,
      state TEXT NOT NULL CHECK (state IN ('ACTIVE', 'REDUCING', 'HALTED')),
      reason TEXT NOT NULL,
      set_by TEXT NOT NULL CHECK (set_by IN ('trader', 'rule', 'kill_switch')),
      since INTEGER NOT NULL,
      until INTEGER
    );
    CREATE TABLE risk_day (
      account_id TEXT PRIMARY KEY,
      day_start INTEGER NOT NULL,
      unrealized_base TEXT,
      realized_base TEXT,
      peak_equity TEXT
    );
    CREATE TABLE risk_audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      account_id TEXT,
      action TEXT NOT NULL,
      decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected', 'done')),
      rule TEXT,
      limit_value TEXT,
      actual_value TEXT,
      message TEXT NOT NULL,
      request TEXT NOT NULL
    );
    CREATE INDEX risk_audit_by_account ON risk_audit (account_id, id);
    `)
  },
}
