import './styles/app.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './features/shell/App'
import { startShell } from './features/shell/actions'
import { installTestHook } from './testing/hook'

startShell()
// The test build only: production drops this call and, with it, the hook's module.
if (__CANDLEWORK_TEST_HOOK__) installTestHook()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
