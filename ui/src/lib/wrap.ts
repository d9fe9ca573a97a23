// Names that wrap without leaving a short last word alone on a line ("Ordering Service Node" /
// "1"): a short last word is tied to the word before it by a no-break space, so they move to
// the next line together. What is read stays the same; only where the line may break changes.

/** The longest last word that is tied to the one before it (a node number, "CA", "MSP"). */
const SHORT = 3;
const LAST_WORD = new RegExp(`(\\S)[ \\t]+(\\S{1,${SHORT}})$`, "u");

export function noOrphan(name: string): string {
  return name.replace(LAST_WORD, "$1\u00a0$2");
}
