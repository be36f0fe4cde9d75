/** A section that is planned but not built: says so plainly, shows nothing pretend. */
export function ComingLater({ title, summary }: { title: string; summary: string }) {
  return (
    <section className="coming-later" data-testid="coming-later" aria-labelledby="coming-later-title">
      <h1 id="coming-later-title">{title}</h1>
      <p className="coming-later-status">Not available yet: coming in a later release.</p>
      <p className="coming-later-summary">Planned: {summary}</p>
    </section>
  )
}
