// Types of bench/worst-bodies.mjs, for the TypeScript tests that import it.
export function asciiJson(text: string): string
export function largestValidProfile(lists: { categories: readonly string[]; priorities: readonly string[] }): Record<string, unknown>
export function largestValidBatch(lists: { categories: readonly string[]; priorities: readonly string[] }): string
export function worstBodies(limits: { bodyLimit: number; batchBodyLimit: number }): { name: string; path: string; body: string }[]
