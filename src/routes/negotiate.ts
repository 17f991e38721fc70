// Content negotiation between the JSON answer and the printable HTML paper, by the Accept header's
// q-values (RFC 9110 s.12.5.1). JSON wins ties and is the default: only a client that prefers
// text/html (a browser) gets the page.
const MEDIA = /^\s*([^;\s]+)\s*(?:;(.*))?$/

function quality(accept: string, type: string): number {
  let best = -1
  let bestSpecificity = -1
  for (const part of accept.split(',')) {
    const m = MEDIA.exec(part)
    if (!m) continue
    const range = (m[1] as string).toLowerCase()
    const q = /(?:^|;)\s*q=([0-9.]+)/.exec(m[2] ?? '')
    const value = q ? Number(q[1]) : 1
    const specificity = range === type ? 2 : range === `${type.split('/')[0]}/*` ? 1 : range === '*/*' ? 0 : -1
    if (specificity > bestSpecificity) {
      bestSpecificity = specificity
      best = Number.isFinite(value) ? value : 0
    }
  }
  return best
}

/** Whether the client asks for the HTML page rather than JSON. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false
  const html = quality(accept, 'text/html')
  return html > 0 && html > quality(accept, 'application/json')
}
