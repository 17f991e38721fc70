// Types of bench/worst-bodies.mjs, for the TypeScript tests that import it.
export function asciiJson(text: string): string
export interface ProfileLists {
  categories: readonly string[]
  priorities: readonly string[]
  directAwardGrounds: readonly string[]
  previousProcedures: readonly string[]
}
export function largestValidProfile(lists: ProfileLists): Record<string, unknown>
export function largestValidBatch(lists: ProfileLists): string
export function worstBodies(limits: { bodyLimit: number; batchBodyLimit: number }): { name: string; path: string; body: string }[]
