import type { ComponentType } from 'react'

/**
 * A top-level view as its feature describes it: the shell lists these once (`views.tsx`), and
 * the navigation, the remembered view and what is shown all follow from that list.
 */
export interface View<I extends string = string> {
  /** Names the view in the nav's test id (`nav-<id>`) and in the remembered choice. */
  readonly id: I
  /** The nav button's text, and the view's heading. */
  readonly label: string
  /** Mounted while the view is shown, unmounted when another is chosen. */
  readonly component: ComponentType
}
