import { SHORTCUTS, type ShortcutDef } from './shortcuts'

const GROUPS: ShortcutDef['group'][] = ['General', 'Chart', 'Drawing', 'Trading', 'Symbols']

/** Every shortcut of the registry by group: the "?" overlay and Settings show the same list. */
export function ShortcutList() {
  const all: readonly ShortcutDef[] = SHORTCUTS
  return (
    <div className="shortcut-list" data-testid="shortcut-list">
      {GROUPS.map((g) => (
        <section key={g} className="shortcut-group">
          <h3>{g}</h3>
          <dl>
            {all
              .filter((s) => s.group === g)
              .map((s) => (
                <div key={s.id} className="shortcut-row" data-shortcut={s.id}>
                  <dt>
                    <kbd>{s.keys}</kbd>
                  </dt>
                  <dd>{s.description}</dd>
                </div>
              ))}
          </dl>
        </section>
      ))}
      <p className="shortcut-note">
        Shortcuts do nothing while the cursor is in a field (F9 excepted) or a dialog is open.
      </p>
    </div>
  )
}
