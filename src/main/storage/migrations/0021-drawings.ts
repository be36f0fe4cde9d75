import type { MigrationStep } from '../migration'

/** The trader's chart drawings, per series (source and symbol), shown on every timeframe. */
export const migration: MigrationStep = {
  name: 'drawings',
  up(db) {
    // The id is the renderer's (a UUID), so an undone delete saves the same drawing back. The
    // anchors and text are one JSON body the drawings contract validates before it is written;
    // `kind` is a column of its own to read without parsing. A drawing names a series as the
    // chart does (source and symbol), not a stored series: the demo market stores none.
    db.exec(`
      CREATE TABLE chart_drawings (
        id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
        source TEXT NOT NULL,
        symbol TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL CHECK (json_valid(body)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX chart_drawings_by_series ON chart_drawings (source, symbol, created_at);
    `)
  },
}
