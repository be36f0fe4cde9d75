/**
 * What the scheduler needs of other domains, each as small as it can be, so the engine wires them
 * in one line and a rename elsewhere touches only that line.
 */

/** A job event for the alerts domain (an alert on `job` events delivers it like any firing). */
export interface JobEvent {
  event: 'failed' | 'summary'
  /** The task's id (its kind) and label. */
  task: string
  label: string
  /** `failed`: the error in words; `summary`: the text of the summary. */
  message: string
  at: number
}

/** Where job events go: the alerts service's `jobEvent`. */
export interface JobEvents {
  jobEvent(e: JobEvent): void
  /**
   * Makes sure an active alert delivers this task's `event`s (creating one named `name` if none
   * does), so what the task raises reaches the trader as a notification.
   */
  ensureJobAlert?(e: { event: JobEvent['event']; task: string; name: string }): Promise<void>
}
