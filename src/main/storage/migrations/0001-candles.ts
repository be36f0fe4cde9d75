import type { MigrationStep } from '../migration'

/** Candle series and their bars in column blocks. */
export const migration: MigrationStep = {
  name: 'candles and their sources',
  up(db) {
    // Bars live in column blocks, one BLOB per stretch of time (layout: candles/block-format.ts);
    // one row per bar made reading 100k bars cost ~75 ms in better-sqlite3's per-row overhead.
    // `block_span` is the ms each block covers, fixed when the series is created so its blocks
    // stay valid if the default span changes. count/first/last cache the series' bounds.
    db.exec(`
      CREATE TABLE candle_series (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        symbol TEXT NOT NULL,
        timeframe TEXT NOT NULL,
        label TEXT,
        imported_from TEXT,
        updated_at INTEGER NOT NULL,
        block_span INTEGER NOT NULL CHECK (block_span > 0),
        count INTEGER NOT NULL DEFAULT 0,
        first INTEGER,
        last INTEGER,
        UNIQUE (source, symbol, timeframe)
      );
      CREATE TABLE candle_blocks (
        series_id INTEGER NOT NULL REFERENCES candle_series (id) ON DELETE CASCADE,
        block_start INTEGER NOT NULL,
        count INTEGER NOT NULL CHECK (count > 0),
        first INTEGER NOT NULL,
        last INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (series_id, block_start)
      ) WITHOUT ROWID;
    `)
  },
}
