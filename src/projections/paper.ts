// The route-to-market paper a CIO/CDO signs: a printable HTML page projected from a stored
// decision record (the report and plan as they were when it was made), or from an unsaved report
// as a draft. Server-rendered, no scripts, a print stylesheet, accessible markup: one h1, section
// headings, tables with header cells, a text alternative for the chart. Pure: strings in, a
// string out; every value is escaped.
import type { ProcurementProfile } from '../../schemas/profile.js'
import type { Reason, RecommendationReport, ToConfirm } from '../../schemas/report.js'
import { dayNumber } from '../calendar/dates.js'

/** A dated milestone, as a plan gives it (POST /v1/plans). */
export interface PaperMilestone {
  id: string
  name: string
  date: string
  basis: string
}

export interface PaperInput {
  profile: ProcurementProfile
  report: RecommendationReport
  /** The record, when the paper shows a stored decision; absent for a draft. */
  record?: {
    id: string
    createdAt: string
    client: string
    procedureId: string
    rank: number | null
    rationale?: string
    decidedBy: { name: string; role: string }
    contentHash: string
    previousHash: string | null
  }
  /** The dated plan of the chosen procedure, where plans apply. */
  milestones?: PaperMilestone[]
  /** The CPV 2008 label of a code (8 digits), for the need. */
  cpvLabel: (code8: string) => string | undefined
}

const esc = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 2 })
const EFFECT = { supports: 'For', weakens: 'Against', excludes: 'Rules it out' } as const

function reasonsTable(reasons: Reason[], caption: string): string {
  const rows = reasons
    .map(
      (r) =>
        `<tr class="${esc(r.effect)}"><td>${EFFECT[r.effect]}</td><td>${esc(r.text)}</td><td>${r.legalBasis ? esc(r.legalBasis) : '<span class="muted">Policy or practice</span>'}</td></tr>`
    )
    .join('')
  return `<table><caption>${esc(caption)}</caption><thead><tr><th scope="col">Effect</th><th scope="col">Reason</th><th scope="col">Legal basis</th></tr></thead><tbody>${rows}</tbody></table>`
}

/** A horizontal timeline: one bar per milestone, from the start date to the milestone's date. */
function timelineChart(milestones: PaperMilestone[], startDate: string): string {
  const start = Math.min(dayNumber(startDate), ...milestones.map((m) => dayNumber(m.date)))
  const end = Math.max(start + 1, ...milestones.map((m) => dayNumber(m.date)))
  const left = 250
  const width = 700
  const row = 26
  const height = milestones.length * row + 30
  const x = (date: string) => left + ((dayNumber(date) - start) / (end - start)) * (width - left - 90)
  const bars = milestones
    .map((m, i) => {
      const y = 10 + i * row
      const x1 = x(m.date)
      return (
        `<g class="milestone ${esc(m.basis)}" data-milestone="${esc(m.id)}">` +
        `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(m.name)}</text>` +
        `<rect class="bar" x="${left}" y="${y + 4}" width="${Math.max(2, x1 - left).toFixed(1)}" height="14"></rect>` +
        `<text x="${(x1 + 6).toFixed(1)}" y="${y + 15}">${esc(m.date)}</text></g>`
      )
    })
    .join('')
  const list = milestones.map((m) => `${m.name}: ${m.date} (${m.basis})`).join('; ')
  return (
    `<svg role="img" aria-labelledby="timeline-title timeline-desc" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="timeline-title">Timeline from ${esc(startDate)}: one bar per milestone</title>` +
    `<desc id="timeline-desc">${esc(list)}</desc>${bars}</svg>`
  )
}

const STYLE = `
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #111; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; border-bottom: 2px solid #1d4f91; padding-bottom: .2rem; margin-top: 2rem; }
.status { display: inline-block; padding: .1rem .5rem; border: 2px solid #1d4f91; font-weight: 600; }
.status.draft { border-color: #a15c00; color: #a15c00; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; } caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #999; padding: .3rem .45rem; vertical-align: top; text-align: left; } th { background: #eef2f8; }
tr.excludes td:first-child { color: #8a1010; font-weight: 600; } tr.supports td:first-child { color: #135e13; }
.muted { color: #555; } dl { display: grid; grid-template-columns: 14rem 1fr; gap: .2rem 1rem; } dt { font-weight: 600; }
svg text { font-size: 11px; fill: #111; } svg .bar { fill: #1d4f91; } svg .estimate .bar { fill: #7f9cc5; } svg .known .bar { fill: #2f7d32; }
.raci td { text-align: center; } .signature { margin-top: 2.5rem; display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; }
.signature div { border-top: 1px solid #111; padding-top: .3rem; } code { font-size: .85em; word-break: break-all; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; } h2 { break-after: avoid; } table, svg, .signature { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
`

/** The legal conditions of the chosen route that the profile leaves open. */
function toConfirmList(toConfirm: ToConfirm[] | undefined): string {
  if (!toConfirm || toConfirm.length === 0) return ''
  return `<h3>To confirm before relying on this route</h3><ul>${toConfirm
    .map((c) => `<li>${esc(c.condition)}${c.legalBasis ? ` (${esc(c.legalBasis)})` : ''}</li>`)
    .join('')}</ul>`
}

/** What the profile did not say: each assumption and what it did, and the questions to settle. */
function assumedSection(report: RecommendationReport): string {
  const assumed = report.assumedInputs ?? []
  const questions = report.questions ?? []
  if (assumed.length === 0 && questions.length === 0) return ''
  const rows = assumed
    .map((a) => `<tr><th scope="row">${esc(a.label)}</th><td>${a.unknown ? 'Unknown' : 'Default'}</td><td>${esc(a.effect)}</td></tr>`)
    .join('')
  return `<section aria-labelledby="assumed"><h2 id="assumed">What the profile did not say</h2>
${assumed.length > 0 ? `<table><caption>Assumed, not stated: an unknown never rules a route out; a default counts as the council's answer</caption><thead><tr><th scope="col">Left out</th><th scope="col">Treated as</th><th scope="col">What it did</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
${questions.length > 0 ? `<h3>Questions that would change the answer</h3><ol>${questions.map((q) => `<li>${esc(q.question)} ${esc(q.why)}</li>`).join('')}</ol>` : ''}
</section>`
}

export function renderPaper(input: PaperInput): string {
  const { profile, report, record, milestones } = input
  const chosenId = record?.procedureId ?? report.recommendations[0]!.procedureId
  const recommended = report.recommendations.find((r) => r.procedureId === chosenId)
  const notRecommended = report.notRecommended.find((r) => r.procedureId === chosenId)
  const chosenName = recommended?.name ?? notRecommended?.name ?? chosenId
  const title = profile.title ?? profile.reference ?? 'Procurement'
  const v = report.value
  const codes = (profile.contract.cpvCodes ?? []).map((c) => {
    const label = input.cpvLabel(c.slice(0, 8))
    return `<li><code>${esc(c)}</code> ${label ? esc(label) : '<span class="muted">not in the CPV 2008 list</span>'}</li>`
  })
  const yesNo = (b: boolean | undefined) => (b ? 'Yes' : 'No')
  // What the profile left out is said to be left out, never printed as the council's answer.
  const stated = (value: string | boolean | undefined): string =>
    value === undefined ? 'not stated' : typeof value === 'boolean' ? yesNo(value) : value
  const need = profile.need ?? {}
  const process = profile.process ?? {}

  const others = [
    ...report.recommendations
      .filter((r) => r.procedureId !== chosenId)
      .map(
        (r) =>
          `<tr data-procedure-id="${esc(r.procedureId)}"><th scope="row">${esc(r.name)}</th><td>Recommended, rank ${r.rank} (score ${r.score}, ${esc(r.fit)} fit)</td><td>${esc(
            r.reasons
              .filter((x) => x.effect !== 'supports')
              .map((x) => x.text)
              .join(' ') || 'Not chosen: it ranks below the chosen route.'
          )}</td></tr>`
      ),
    ...report.notRecommended
      .filter((r) => r.procedureId !== chosenId)
      .map((r) => {
        const against = r.reasons.filter((x) => x.effect !== 'supports')
        return `<tr data-procedure-id="${esc(r.procedureId)}"><th scope="row">${esc(r.name)}</th><td>Not recommended</td><td>${esc(
          against.map((x) => x.text + (x.legalBasis ? ` (${x.legalBasis})` : '')).join(' ')
        )}</td></tr>`
      })
  ].join('')

  const raci = report.raci
  const raciRows = raci.activities
    .map(
      (a) =>
        `<tr><th scope="row">${esc(a.name)}</th>${raci.roles.map((role) => `<td>${esc(a.assignments[role.id] ?? '')}</td>`).join('')}</tr>`
    )
    .join('')

  const timeline =
    milestones && milestones.length > 0
      ? timelineChart(milestones, report.startDate) +
        `<table><caption>Milestones</caption><thead><tr><th scope="col">Milestone</th><th scope="col">Date</th><th scope="col">Basis</th></tr></thead><tbody>${milestones
          .map((m) => `<tr><th scope="row">${esc(m.name)}</th><td>${esc(m.date)}</td><td>${esc(m.basis)}</td></tr>`)
          .join('')}</tbody></table>`
      : `<p>No dated plan: ${recommended ? `statutory minimum ${recommended.timeline.minimumWeeks} weeks, typically ${recommended.timeline.typicalWeeks.min} to ${recommended.timeline.typicalWeeks.max} weeks from start to award (practitioner estimate).` : 'the chosen procedure is not recommended, so no timeline was computed.'}</p>`

  const status = record
    ? `<p><span class="status">Decision record</span> <code>${esc(record.id)}</code>, recorded ${esc(record.createdAt)} for ${esc(record.client)}</p>`
    : `<p><span class="status draft">Draft: not a decision record</span> Unsaved report of ${esc(report.generatedAt)}; it has no content hash.</p>`

  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>Route to market: ${esc(title)}${record ? '' : ' (draft)'}</title><style>${STYLE}</style></head>
<body><main>
<h1>Route to market: ${esc(title)}</h1>
${status}
<section aria-labelledby="need"><h2 id="need">The need</h2><dl>
<dt>Reference</dt><dd>${esc(profile.reference ?? 'none')}</dd>
<dt>Contract</dt><dd>${esc(profile.contract.type)}, estimated ${esc(gbp.format(v.estimatedValue))} including VAT${profile.contract.durationMonths ? `, ${profile.contract.durationMonths} months` : ''}</dd>
<dt>CPV codes</dt><dd>${codes.length > 0 ? `<ul>${codes.join('')}</ul>` : `none given${profile.contract.categories ? `; categories: ${esc(profile.contract.categories.join(', '))}` : ''}`}</dd>
<dt>Start date</dt><dd>${esc(report.startDate)}</dd>
<dt>Solution maturity</dt><dd>${esc(stated(need.solutionMaturity))}; requirements ${esc(stated(need.requirementsClarity))}</dd>
<dt>Negotiation / demonstrations / pitch or pilot / co-development</dt><dd>${[process.negotiation, process.demonstrations, process.pitchOrPilot, process.coDevelopment].map(stated).join(' / ')}</dd>
</dl></section>
<section aria-labelledby="regime"><h2 id="regime">Regime and threshold</h2><dl>
<dt>Regime</dt><dd>${esc(report.regime.name)} (${esc(report.regime.legalBasis)})</dd>
<dt>Why</dt><dd>${esc(report.regime.reason)}</dd>
<dt>Threshold</dt><dd>${esc(gbp.format(v.threshold.amount))} (${esc(v.threshold.kind)}, in force from ${esc(v.threshold.effectiveFrom)}; ${esc(v.threshold.legalBasis)}): the value is ${v.aboveThreshold ? 'at or above' : 'below'} it</dd>
<dt>Light touch</dt><dd>${yesNo(v.lightTouch)}: ${esc(v.lightTouchReason)}</dd>
</dl></section>
<section aria-labelledby="route"><h2 id="route">The chosen route: ${esc(chosenName)}</h2>
<div data-procedure-id="${esc(chosenId)}">
${recommended ? `<p>${esc(recommended.legalRoute.name)} (${esc(recommended.legalRoute.legalBasis)}). Rank ${recommended.rank} of ${report.recommendations.length} recommended, score ${recommended.score} (${esc(recommended.fit)} fit).</p><p>${esc(recommended.summary)}</p>` : '<p>Legally available but not recommended by the evaluation; the rationale below explains the choice.</p>'}
${reasonsTable(recommended?.reasons ?? notRecommended?.reasons ?? [], 'What the evaluation found for this route')}
${toConfirmList(recommended?.toConfirm ?? notRecommended?.toConfirm)}
</div></section>
${assumedSection(report)}
<section aria-labelledby="others"><h2 id="others">Why not the other procedures</h2>
<table><caption>Every other procedure, with what the evaluation found against it</caption><thead><tr><th scope="col">Procedure</th><th scope="col">Outcome</th><th scope="col">Reasons</th></tr></thead><tbody>${others}</tbody></table>
</section>
<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>${timeline}</section>
<section aria-labelledby="raci"><h2 id="raci">Who is responsible (RACI)</h2>
<table class="raci"><caption>R responsible, A accountable, C consulted, I informed (template ${esc(raci.template)})</caption><thead><tr><th scope="col">Activity</th>${raci.roles.map((r) => `<th scope="col">${esc(r.name)}</th>`).join('')}</tr></thead><tbody>${raciRows}</tbody></table>
</section>
${report.warnings.length > 0 ? `<section aria-labelledby="warnings"><h2 id="warnings">Check before relying on this</h2><ul>${report.warnings.map((w) => `<li><strong>${esc(w.code)}</strong>: ${esc(w.message)}</li>`).join('')}</ul></section>` : ''}
<section aria-labelledby="decision"><h2 id="decision">Decision</h2><dl>
<dt>Rationale</dt><dd>${record?.rationale ? esc(record.rationale) : record ? 'The chosen procedure is the top recommendation.' : 'Not yet decided.'}</dd>
<dt>Decided by</dt><dd>${record ? `${esc(record.decidedBy.name)} (${esc(record.decidedBy.role)})` : 'Not yet decided.'}</dd>
<dt>Ruleset version</dt><dd><code>${esc(report.rulesetVersion)}</code></dd>
<dt>Content hash</dt><dd>${record ? `<code>${esc(record.contentHash)}</code>` : 'None: a draft is not a record.'}</dd>
<dt>Previous record</dt><dd>${record ? (record.previousHash ? `<code>${esc(record.previousHash)}</code>` : 'None: the first record of this client') : 'Not applicable'}</dd>
</dl>
<div class="signature"><div>Proposed by (procurement team): name, signature, date</div><div>Approved by (CIO / CDO, accountable): name, signature, date</div></div>
</section>
<p class="muted">Produced by Procurement Route Advisor from the evaluation of the profile under ruleset ${esc(report.rulesetVersion)}. Not legal advice.</p>
</main></body></html>
`
}
