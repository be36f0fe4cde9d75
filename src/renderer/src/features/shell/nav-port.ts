/**
 * Showing a view from a feature that the view list itself imports (the Dashboard links to the
 * Trade and Health views): importing navigation.ts there would close an import circle
 * (navigation -> views -> the feature -> navigation). navigation.ts installs the one navigator.
 */
let navigate: (viewId: string) => void = () => {}

export function setNavigator(fn: (viewId: string) => void): void {
  navigate = fn
}

/** Shows the view with this id (an unknown id does nothing). */
export function goToView(viewId: string): void {
  navigate(viewId)
}
