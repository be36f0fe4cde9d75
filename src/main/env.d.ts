// electron-vite's import suffixes (`?modulePath`) for the compute worker's chunk; see compute-pool.ts.
/// <reference types="electron-vite/node" />
