// TypeBox schemas of the calendar data files: bank-holidays.json (GOV.UK's list, per division) and
// regimes.json (which divisions, and which extra days, a regime's "working day" excludes).
import Type from 'typebox'
import { ConfidenceSchema, DateSchema, SourceSchema } from '../../schemas/common.js'

/** GOV.UK's three divisions: England and Wales share one list under the Banking and Financial Dealings Act 1971. */
export const DIVISIONS = ['england-and-wales', 'scotland', 'northern-ireland'] as const
export type Division = (typeof DIVISIONS)[number]

/** The regimes that count working days; a PCR 2015 profile gets no plan, so it has no calendar. */
export const CALENDAR_REGIMES = ['pa2023', 'psr2023'] as const
export type CalendarRegime = (typeof CALENDAR_REGIMES)[number]

/** Days a regime names itself, besides bank holidays (PSR reg 12(12)). */
export const NAMED_DAYS = ['christmas-day', 'good-friday', 'first-monday-in-may'] as const
export type NamedDay = (typeof NAMED_DAYS)[number]

export const BankHolidaysSourceSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    url: Type.String({ minLength: 1 }),
    retrievedFrom: Type.String({ minLength: 1, description: 'Where this copy was taken from: <owner/repo>@<commit>:<path>, or the URL.' }),
    retrieved: DateSchema,
    confidence: ConfidenceSchema,
    note: Type.String()
  },
  { additionalProperties: false }
)
export type BankHolidaysSource = Type.Static<typeof BankHolidaysSourceSchema>

const EventSchema = Type.Object({ date: DateSchema, title: Type.String({ minLength: 1 }) }, { additionalProperties: false })

const DivisionSchema = Type.Object(
  {
    coveredFrom: DateSchema,
    coveredTo: DateSchema,
    events: Type.Array(EventSchema, { minItems: 1 })
  },
  { additionalProperties: false }
)
export type DivisionData = Type.Static<typeof DivisionSchema>

export const BankHolidaysFileSchema = Type.Object(
  {
    source: BankHolidaysSourceSchema,
    divisions: Type.Object(
      { 'england-and-wales': DivisionSchema, scotland: DivisionSchema, 'northern-ireland': DivisionSchema },
      { additionalProperties: false }
    )
  },
  { additionalProperties: false }
)
export type BankHolidaysFile = Type.Static<typeof BankHolidaysFileSchema>

const RegimeCalendarSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    divisions: Type.Array(Type.Enum([...DIVISIONS]), { minItems: 1, uniqueItems: true }),
    namedDays: Type.Array(Type.Enum([...NAMED_DAYS]), { uniqueItems: true }),
    source: SourceSchema
  },
  { additionalProperties: false }
)

export const CalendarRegimesFileSchema = Type.Object(
  {
    regimes: Type.Object({ pa2023: RegimeCalendarSchema, psr2023: RegimeCalendarSchema }, { additionalProperties: false })
  },
  { additionalProperties: false }
)
export type CalendarRegimesFile = Type.Static<typeof CalendarRegimesFileSchema>
