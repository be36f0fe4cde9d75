// electron-vite's import suffixes (`?modulePath`) for the worker chunk; see compute-pool.ts.
/// <reference types="electron-vite/node" />
