import { useEffect, useState } from 'react'
import { Modal } from '../desk/Modal'
import { askKillSwitch, cancelKillSwitch, pressKillSwitch } from './actions'
import { headerState } from './header-state'
import { useRiskStore } from './store'
import './risk.css'

/** The shortcut that opens the kill switch's confirmation from anywhere: Ctrl+Shift+K (⌘⇧K on a Mac). */
export function isKillShortcut(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): boolean {
  return (e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k'
}

/**
 * The header's risk corner: the trading state that applies (the strictest over the accounts,
 * where and why), and the kill switch, which asks once before it halts everything.
 */
export function RiskHeader() {
  const overview = useRiskStore((s) => s.overview)
  const kill = useRiskStore((s) => s.kill)
  const confirming = useRiskStore((s) => s.confirming)
  const shown = headerState(overview)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isKillShortcut(e)) return
      e.preventDefault()
      askKillSwitch()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return (
    <div className="risk-corner">
      {shown && (
        <span
          className={`risk-state risk-state-${shown.state.toLowerCase()}`}
          data-testid="risk-state"
          title={`${shown.state} (${shown.where}): ${shown.reason}`}
        >
          <strong>{shown.state}</strong>
          {shown.state !== 'ACTIVE' && (
            <span className="risk-state-reason" data-testid="risk-state-reason">
              {shown.where}: {shown.reason}
            </span>
          )}
        </span>
      )}
      {kill?.running && (
        <span className="risk-kill-running" data-testid="risk-kill-running" title={kill.summary}>
          retrying {kill.outstanding.length} cancel{kill.outstanding.length === 1 ? '' : 's'}
        </span>
      )}
      <button
        type="button"
        className="risk-kill"
        data-testid="kill-switch"
        title="Kill switch: halt all trading and cancel every order (Ctrl+Shift+K)"
        onClick={askKillSwitch}
      >
        Kill switch
      </button>
      <Modal
        open={confirming}
        onCancel={cancelKillSwitch}
        label="Kill switch"
        tone="danger"
        testId="kill-confirm"
      >
        <KillConfirm />
      </Modal>
    </div>
  )
}

function KillConfirm() {
  const pressing = useRiskStore((s) => s.pressing)
  const [closePositions, setClose] = useState(false)
  return (
    <form
      method="dialog"
      onSubmit={(e) => {
        e.preventDefault()
        void pressKillSwitch(closePositions)
      }}
    >
      <div className="tk-dialog-head">
        <span className="badge badge-live">KILL</span>
        <span>Halt all trading and cancel every order?</span>
      </div>
      <p className="risk-kill-text">
        Every account is set HALTED (no new orders or changes; cancels still pass) and every open order is
        canceled, held and waiting ones included, on every account. Cancels an exchange refuses are retried
        until they pass.
      </p>
      <label className="risk-kill-close">
        <input
          type="checkbox"
          checked={closePositions}
          data-testid="kill-close-positions"
          onChange={(e) => setClose(e.target.checked)}
        />
        Also close every position at market
      </label>
      <div className="tk-dialog-actions">
        <button type="button" className="btn" onClick={cancelKillSwitch}>
          Cancel
        </button>
        <button
          type="submit"
          className="btn risk-kill-confirm"
          data-testid="kill-confirm-button"
          disabled={pressing}
          autoFocus
        >
          {pressing ? 'Halting…' : closePositions ? 'Halt, cancel and close' : 'Halt and cancel'}
        </button>
      </div>
    </form>
  )
}
