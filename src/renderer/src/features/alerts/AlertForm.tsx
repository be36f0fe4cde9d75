import type { ReactNode } from 'react'
import { TIMEFRAMES } from '../../../../shared/domain/timeframes'
import { useIndicatorsStore } from '../indicators/store'
import { closeForm, editDraft, saveDraft } from './form-actions'
import { isEventType, type DeliveryDraft, type Draft, type OperandDraft } from './form-model'
import { useAlertFormStore } from './form-store'
import { openChartOf } from './live'

const CONDITIONS: [Draft['type'], string][] = [
  ['compare', 'Price or indicator vs a value or another series'],
  ['move', 'Moving up or down by % or ATR'],
  ['channel', 'Channel: entering, exiting, inside, outside'],
  ['volume_spike', 'Volume spike'],
  ['signal_score', 'Signal score crossing a threshold'],
  ['order', 'Order filled, partly filled or rejected'],
  ['breaker', 'Exchange breaker opening'],
  ['job', 'Scheduled task failing or summary'],
  ['event', 'Clock skew, backup failing, risk limit or halt'],
]
const OPS: [Draft['op'], string][] = [
  ['crossing', 'Crossing'],
  ['crossing_up', 'Crossing up'],
  ['crossing_down', 'Crossing down'],
  ['greater', 'Greater than'],
  ['less', 'Less than'],
]
const FIELDS: Draft['channelPrice'][] = ['last', 'close', 'open', 'high', 'low']

/** The form that creates or edits an alert, with the preview of how often it would have fired. */
export function AlertForm() {
  const d = useAlertFormStore((s) => s.draft)
  const saving = useAlertFormStore((s) => s.saving)
  const formError = useAlertFormStore((s) => s.formError)
  if (!d) return null
  const events = isEventType(d.type)
  return (
    <form
      className="alerts-form"
      data-testid="alert-form"
      aria-label={d.id === null ? 'New alert' : 'Edit alert'}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void saveDraft()
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') closeForm()
      }}
    >
      <header className="alerts-form-head">
        <h2>{d.id === null ? 'New alert' : 'Edit alert'}</h2>
        <button type="button" className="notice-close" aria-label="Close the form" onClick={closeForm}>
          ×
        </button>
      </header>
      {formError && (
        <p className="alerts-form-error" role="alert" data-testid="alert-form-error">
          {formError}
        </p>
      )}
      <Field label="Condition" k="condition">
        <select
          value={d.type}
          data-testid="alert-type"
          onChange={(e) => editDraft({ type: e.target.value as Draft['type'] })}
        >
          {CONDITIONS.map(([v, t]) => (
            <option key={v} value={v}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      {!events && (
        <div className="alerts-row">
          <Field label="Symbol" k="series.symbol">
            <input
              value={d.symbol}
              data-testid="alert-symbol"
              onChange={(e) => editDraft({ symbol: e.target.value })}
            />
          </Field>
          <Field label="Timeframe" k="series.timeframe" narrow>
            <select
              value={d.timeframe}
              onChange={(e) => editDraft({ timeframe: e.target.value as Draft['timeframe'] })}
            >
              {TIMEFRAMES.map((tf) => (
                <option key={tf}>{tf}</option>
              ))}
            </select>
          </Field>
        </div>
      )}
      <ConditionFields d={d} />
      <fieldset className="alerts-fieldset">
        <legend>When and how often</legend>
        <div className="alerts-row">
          <Field label="Evaluate" k="evaluate">
            <select
              value={d.frequency === 'once_per_bar_close' ? 'bar_close' : d.evaluate}
              disabled={d.frequency === 'once_per_bar_close' || events}
              onChange={(e) => editDraft({ evaluate: e.target.value as Draft['evaluate'] })}
            >
              <option value="intrabar">Intrabar</option>
              <option value="bar_close">On bar close</option>
            </select>
          </Field>
          <Field label="Frequency" k="frequency">
            <select
              value={d.frequency}
              data-testid="alert-frequency"
              onChange={(e) => editDraft({ frequency: e.target.value as Draft['frequency'] })}
            >
              <option value="once">Only once</option>
              <option value="once_per_bar">Once per bar</option>
              <option value="once_per_bar_close">Once per bar close</option>
              <option value="every_time">Every time</option>
            </select>
          </Field>
        </div>
        {d.frequency === 'every_time' && (
          <Field label="At least (seconds) between firings" k="minIntervalMs">
            <input
              value={d.minIntervalSec}
              inputMode="decimal"
              onChange={(e) => editDraft({ minIntervalSec: e.target.value })}
            />
          </Field>
        )}
        <div className="alerts-row">
          <Field label="Expires (your time)" k="expiresAt">
            <input
              type="datetime-local"
              value={d.expiresAt}
              data-testid="alert-expires"
              onChange={(e) => editDraft({ expiresAt: e.target.value })}
            />
          </Field>
          {d.type === 'compare' && (
            <Field label="Re-arm after moving back" k="hysteresis.value">
              <span className="alerts-pair">
                <select
                  value={d.hysteresisUnit}
                  onChange={(e) => editDraft({ hysteresisUnit: e.target.value as Draft['hysteresisUnit'] })}
                >
                  <option value="none">At once</option>
                  <option value="absolute">By a price</option>
                  <option value="percent">By %</option>
                </select>
                {d.hysteresisUnit !== 'none' && (
                  <input
                    value={d.hysteresisValue}
                    inputMode="decimal"
                    aria-label="Margin"
                    onChange={(e) => editDraft({ hysteresisValue: e.target.value })}
                  />
                )}
              </span>
            </Field>
          )}
        </div>
      </fieldset>
      <fieldset className="alerts-fieldset">
        <legend>Message and deliveries</legend>
        <Field label="Name" k="name">
          <input
            value={d.name}
            placeholder="From the condition"
            onChange={(e) => editDraft({ name: e.target.value })}
          />
        </Field>
        <Field label="Message" k="message">
          <input
            value={d.message}
            placeholder="{{symbol}} {{condition}} at {{close}}"
            onChange={(e) => editDraft({ message: e.target.value })}
          />
        </Field>
        <label className="alerts-check" data-testid="alert-sound">
          <input type="checkbox" checked={d.sound} onChange={(e) => editDraft({ sound: e.target.checked })} />{' '}
          Play a sound when it fires
        </label>
        <p className="alerts-hint">
          In the app always: a notice, the list, the browser’s notification where allowed.
        </p>
        {d.deliveries.map((x, i) => (
          <DeliveryFields key={i} x={x} i={i} d={d} />
        ))}
        {d.deliveries.length < 5 && (
          <div className="alerts-add-delivery">
            {(['webhook', 'telegram', 'discord'] as const).map((kind) => (
              <button
                key={kind}
                type="button"
                className="btn btn-small"
                onClick={() =>
                  editDraft({
                    deliveries: [...d.deliveries, { kind, secret: '', hint: '', chatId: '', template: '' }],
                  })
                }
              >
                + {kind === 'webhook' ? 'Webhook' : kind === 'telegram' ? 'Telegram' : 'Discord'}
              </button>
            ))}
          </div>
        )}
      </fieldset>
      <div className="alerts-form-foot">
        <Preview />
        <div className="alerts-form-actions">
          <button type="button" className="btn" onClick={closeForm}>
            Cancel
          </button>
          <button type="submit" className="btn alerts-save" data-testid="alert-save" disabled={saving}>
            {saving ? 'Saving…' : d.id === null ? 'Create alert' : 'Save'}
          </button>
        </div>
      </div>
    </form>
  )
}

/** A labelled input with the error of its field under it. */
function Field({
  label,
  k,
  children,
  narrow,
}: {
  label: string
  k: string
  children: ReactNode
  narrow?: boolean
}) {
  const error = useAlertFormStore((s) => s.errors[k])
  return (
    <label
      className={`alerts-field${narrow ? ' alerts-field-narrow' : ''}${error ? ' alerts-field-bad' : ''}`}
      data-field={k}
    >
      <span className="alerts-field-label">{label}</span>
      {children}
      {error && (
        <span className="alerts-field-error" role="alert" data-testid="alert-field-error">
          {error}
        </span>
      )}
    </label>
  )
}

function ConditionFields({ d }: { d: Draft }) {
  switch (d.type) {
    case 'compare':
      return (
        <>
          <OperandFields
            o={d.left}
            k="condition.left"
            label="Left"
            onChange={(left) => editDraft({ left })}
          />
          <Field label="Operator" k="condition.op">
            <select
              value={d.op}
              data-testid="alert-op"
              onChange={(e) => editDraft({ op: e.target.value as Draft['op'] })}
            >
              {OPS.map(([v, t]) => (
                <option key={v} value={v}>
                  {t}
                </option>
              ))}
            </select>
          </Field>
          <OperandFields
            o={d.right}
            k="condition.right"
            label="Right"
            onChange={(right) => editDraft({ right })}
          />
        </>
      )
    case 'move':
      return (
        <div className="alerts-row">
          <Field label="Direction" k="condition.direction" narrow>
            <select
              value={d.moveDirection}
              onChange={(e) => editDraft({ moveDirection: e.target.value as 'up' | 'down' })}
            >
              <option value="up">Up</option>
              <option value="down">Down</option>
            </select>
          </Field>
          <Field label="By" k="condition.by.value">
            <span className="alerts-pair">
              <input
                value={d.moveValue}
                inputMode="decimal"
                onChange={(e) => editDraft({ moveValue: e.target.value })}
              />
              <select
                value={d.moveUnit}
                onChange={(e) => editDraft({ moveUnit: e.target.value as 'percent' | 'atr' })}
              >
                <option value="percent">%</option>
                <option value="atr">× ATR</option>
              </select>
            </span>
          </Field>
          {d.moveUnit === 'atr' && (
            <Field label="ATR period" k="condition.by.atrPeriod" narrow>
              <input
                value={d.atrPeriod}
                inputMode="numeric"
                onChange={(e) => editDraft({ atrPeriod: e.target.value })}
              />
            </Field>
          )}
          <Field label="Within bars" k="condition.bars" narrow>
            <input
              value={d.moveBars}
              inputMode="numeric"
              onChange={(e) => editDraft({ moveBars: e.target.value })}
            />
          </Field>
        </div>
      )
    case 'channel':
      return (
        <>
          <div className="alerts-row">
            <Field label="Price" k="condition.price" narrow>
              <select
                value={d.channelPrice}
                onChange={(e) => editDraft({ channelPrice: e.target.value as Draft['channelPrice'] })}
              >
                {FIELDS.map((f) => (
                  <option key={f}>{f}</option>
                ))}
              </select>
            </Field>
            <Field label="Is" k="condition.op">
              <select
                value={d.channelOp}
                onChange={(e) => editDraft({ channelOp: e.target.value as Draft['channelOp'] })}
              >
                <option value="entering">Entering</option>
                <option value="exiting">Exiting</option>
                <option value="inside">Inside</option>
                <option value="outside">Outside</option>
              </select>
            </Field>
            <Field label="Channel" k="condition.channel">
              <select
                value={d.channelKind}
                onChange={(e) => editDraft({ channelKind: e.target.value as Draft['channelKind'] })}
              >
                <option value="bbands">Bollinger Bands</option>
                <option value="keltner">Keltner Channels</option>
                <option value="donchian">Donchian Channels (of the bars before)</option>
                <option value="values">Two values</option>
              </select>
            </Field>
          </div>
          {d.channelKind === 'values' ? (
            <div className="alerts-row">
              <Field label="Lower" k="condition.channel.lower">
                <input
                  value={d.channelLower}
                  inputMode="decimal"
                  onChange={(e) => editDraft({ channelLower: e.target.value })}
                />
              </Field>
              <Field label="Upper" k="condition.channel.upper">
                <input
                  value={d.channelUpper}
                  inputMode="decimal"
                  onChange={(e) => editDraft({ channelUpper: e.target.value })}
                />
              </Field>
            </div>
          ) : (
            <Field label="Parameters (defaults when empty)" k="condition.channel.params">
              <input
                value={d.channelParams}
                placeholder="period=20, stddev=2"
                onChange={(e) => editDraft({ channelParams: e.target.value })}
              />
            </Field>
          )}
        </>
      )
    case 'volume_spike':
      return (
        <div className="alerts-row">
          <Field label="Volume above × average" k="condition.factor">
            <input
              value={d.volumeFactor}
              inputMode="decimal"
              onChange={(e) => editDraft({ volumeFactor: e.target.value })}
            />
          </Field>
          <Field label="Of the last bars" k="condition.bars">
            <input
              value={d.volumeBars}
              inputMode="numeric"
              onChange={(e) => editDraft({ volumeBars: e.target.value })}
            />
          </Field>
        </div>
      )
    case 'signal_score':
      return (
        <div className="alerts-row">
          <Field label="Score" k="condition.op">
            <select
              value={d.signalOp}
              onChange={(e) => editDraft({ signalOp: e.target.value as Draft['signalOp'] })}
            >
              <option value="crossing">Crossing</option>
              <option value="crossing_up">Crossing up</option>
              <option value="crossing_down">Crossing down</option>
            </select>
          </Field>
          <Field label="Threshold (0–100)" k="condition.threshold">
            <input
              value={d.signalThreshold}
              inputMode="decimal"
              onChange={(e) => editDraft({ signalThreshold: e.target.value })}
            />
          </Field>
        </div>
      )
    case 'order':
      return (
        <>
          <Checks
            k="condition.events"
            options={[
              ['filled', 'Filled'],
              ['partially_filled', 'Partly filled'],
              ['rejected', 'Rejected'],
            ]}
            value={d.orderEvents}
            onChange={(orderEvents) => editDraft({ orderEvents })}
          />
          <Field label="Account id (any when empty)" k="condition.accountId">
            <input value={d.orderAccount} onChange={(e) => editDraft({ orderAccount: e.target.value })} />
          </Field>
        </>
      )
    case 'breaker':
      return (
        <Field label="Exchange (any when empty)" k="condition.exchange">
          <input
            value={d.breakerExchange}
            placeholder="binance"
            onChange={(e) => editDraft({ breakerExchange: e.target.value })}
          />
        </Field>
      )
    case 'job':
      return (
        <>
          <Checks
            k="condition.events"
            options={[
              ['failed', 'Failing'],
              ['summary', 'Summary (daily P&L)'],
            ]}
            value={d.jobEvents}
            onChange={(jobEvents) => editDraft({ jobEvents })}
          />
          <Field label="Task (any when empty)" k="condition.task">
            <input value={d.jobTask} onChange={(e) => editDraft({ jobTask: e.target.value })} />
          </Field>
        </>
      )
    case 'event':
      return (
        <>
          <Checks
            k="condition.events"
            options={[
              ['clock_skew', 'Clock skew past the guard'],
              ['backup_failed', 'Backup failing'],
              ['risk_limit_hit', 'Risk limit hit'],
              ['trading_halted', 'Trading halted'],
            ]}
            value={d.engineEvents}
            onChange={(engineEvents) => editDraft({ engineEvents })}
          />
          <Field label="Exchange or account (any when empty)" k="condition.subject">
            <input value={d.eventSubject} onChange={(e) => editDraft({ eventSubject: e.target.value })} />
          </Field>
        </>
      )
  }
}

function Checks<T extends string>({
  k,
  options,
  value,
  onChange,
}: {
  k: string
  options: [T, string][]
  value: T[]
  onChange(v: T[]): void
}) {
  const error = useAlertFormStore((s) => s.errors[k])
  return (
    <fieldset className="alerts-checks" data-field={k}>
      <legend className="alerts-field-label">Events</legend>
      {options.map(([v, t]) => (
        <label key={v}>
          <input
            type="checkbox"
            checked={value.includes(v)}
            onChange={(e) => onChange(e.target.checked ? [...value, v] : value.filter((x) => x !== v))}
          />{' '}
          {t}
        </label>
      ))}
      {error && (
        <span className="alerts-field-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  )
}

function OperandFields({
  o,
  k,
  label,
  onChange,
}: {
  o: OperandDraft
  k: string
  label: string
  onChange(o: OperandDraft): void
}) {
  const catalogue = useIndicatorsStore((s) => s.catalogue)
  const info = catalogue.find((c) => c.id === o.indicator)
  return (
    <div className="alerts-row">
      <Field label={label} k={k} narrow>
        <select
          value={o.kind}
          data-testid={`${k}-kind`}
          onChange={(e) => onChange({ ...o, kind: e.target.value as OperandDraft['kind'] })}
        >
          <option value="price">Price</option>
          <option value="indicator">Indicator</option>
          <option value="value">Value</option>
        </select>
      </Field>
      {o.kind === 'price' && (
        <Field label="Field" k={`${k}.field`} narrow>
          <select
            value={o.field}
            onChange={(e) => onChange({ ...o, field: e.target.value as OperandDraft['field'] })}
          >
            {FIELDS.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </Field>
      )}
      {o.kind === 'value' && (
        <Field label="Value" k={`${k}.value`}>
          <input
            value={o.value}
            inputMode="decimal"
            data-testid={`${k}-value`}
            onChange={(e) => onChange({ ...o, value: e.target.value })}
          />
        </Field>
      )}
      {o.kind === 'indicator' && (
        <>
          <Field label="Indicator" k={`${k}.indicator`} narrow>
            {catalogue.length > 0 ? (
              <select
                value={o.indicator}
                onChange={(e) => onChange({ ...o, indicator: e.target.value, output: '', params: '' })}
              >
                {catalogue.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.id.toUpperCase()}
                  </option>
                ))}
              </select>
            ) : (
              <input value={o.indicator} onChange={(e) => onChange({ ...o, indicator: e.target.value })} />
            )}
          </Field>
          <Field label="Parameters" k={`${k}.params`}>
            <input
              value={o.params}
              placeholder={
                info ? info.params.map((p) => `${p.name}=${String(p.default)}`).join(', ') : 'period=14'
              }
              onChange={(e) => onChange({ ...o, params: e.target.value })}
            />
          </Field>
          <Field label="Output" k={`${k}.output`} narrow>
            {info ? (
              <select value={o.output} onChange={(e) => onChange({ ...o, output: e.target.value })}>
                <option value="">{info.outputs[0]?.name ?? 'first'}</option>
                {info.outputs.slice(1).map((out) => (
                  <option key={out.name}>{out.name}</option>
                ))}
              </select>
            ) : (
              <input
                value={o.output}
                placeholder="first"
                onChange={(e) => onChange({ ...o, output: e.target.value })}
              />
            )}
          </Field>
        </>
      )}
    </div>
  )
}

function DeliveryFields({ x, i, d }: { x: DeliveryDraft; i: number; d: Draft }) {
  const change = (patch: Partial<DeliveryDraft>): void =>
    editDraft({ deliveries: d.deliveries.map((y, j) => (j === i ? { ...y, ...patch } : y)) })
  const title = x.kind === 'webhook' ? 'Webhook' : x.kind === 'telegram' ? 'Telegram bot' : 'Discord webhook'
  const stored = x.hint ? `stored: ${x.hint} (leave empty to keep it)` : ''
  return (
    <div className="alerts-delivery" data-testid="alert-delivery-edit">
      <div className="alerts-delivery-head">
        <strong>{title}</strong>
        <button
          type="button"
          className="notice-close"
          aria-label={`Remove the ${title}`}
          onClick={() => editDraft({ deliveries: d.deliveries.filter((_, j) => j !== i) })}
        >
          ×
        </button>
      </div>
      <Field label={x.kind === 'telegram' ? 'Bot token' : 'URL (https)'} k={`deliveries[${i}].secret`}>
        <input
          type="password"
          autoComplete="off"
          value={x.secret}
          placeholder={stored || (x.kind === 'telegram' ? '123456:ABC-def…' : 'https://…')}
          onChange={(e) => change({ secret: e.target.value })}
        />
      </Field>
      {x.kind === 'telegram' && (
        <Field label="Chat id" k={`deliveries[${i}].chatId`}>
          <input
            value={x.chatId}
            placeholder="-1001234… or @channel"
            onChange={(e) => change({ chatId: e.target.value })}
          />
        </Field>
      )}
      <Field label="Message template" k={`deliveries[${i}].template`}>
        <input
          value={x.template}
          placeholder="{{symbol}} {{timeframe}}: {{condition}} at {{close}} ({{time}})"
          onChange={(e) => change({ template: e.target.value })}
        />
      </Field>
    </div>
  )
}

/** "Would have fired N times in the last 30 days", from the engine's preview over stored bars. */
function Preview() {
  const p = useAlertFormStore((s) => s.preview)
  let text: string
  if (p.state === 'loading' && !p.result) text = 'Counting over the last 30 days…'
  else if (p.result) {
    const n = p.result.fired
    text = `Would have fired ${n === 0 ? 'no times' : n === 1 ? 'once' : `${n.toLocaleString('en-US')} times`} in the last ${p.days} days (${p.result.bars.toLocaleString('en-US')} closed bars).`
  } else text = p.reason ?? ''
  if (!text) return null
  return (
    <p
      className={`alerts-preview${p.state === 'loading' ? ' alerts-preview-busy' : ''}`}
      data-testid="alert-preview"
      data-state={p.state}
      data-fired={p.result?.fired ?? ''}
      title="Counted on closed bars with the same code as live evaluation; an intrabar alert may fire more often live"
    >
      {text}
      {p.state === 'ready' && p.series && (p.result?.fired ?? 0) > 0 && (
        <>
          {' '}
          <button
            type="button"
            className="btn btn-small"
            data-testid="alert-preview-chart"
            title="Marks each bar it would have fired on, on this series' chart, while the form is open"
            onClick={() => openChartOf(p.series!)}
          >
            Show on chart
          </button>
        </>
      )}
    </p>
  )
}
