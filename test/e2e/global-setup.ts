/**
 * Before any end-to-end test: the test build (out-test/, the product plus the renderer's test
 * hook; see test/support/app-build.ts), made fresh on every run so a spec never drives an app
 * older than src/. A few seconds; `npm run build` (out/, the product) is left alone.
 */
import { buildApp } from '../support/app-build'

export default async function globalSetup(): Promise<void> {
  await buildApp('test')
}
