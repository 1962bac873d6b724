// Text helpers for evidence, prompts and summaries: what people and models read, one item a line.

/** Whitespace runs (newlines included) as one space. */
export const oneLine = (text: string): string => text.trim().replace(/\s+/g, ' ')

/** Text cut to `max` characters, at a word boundary when one is near the end, with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text
  if (max <= 1) return text.slice(0, Math.max(0, max))
  const cut = text.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`
}
