import './styles/app.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './features/shell/App'
import { startShell } from './features/shell/actions'
import { installTestHook } from './testing/hook'

startShell()
installTestHook()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
