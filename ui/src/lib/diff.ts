// A line diff laid out side by side, for comparing what a console holds with what an import
// would have created (a conflict). Equal lines sit on one row; changed runs are paired row by row.

export interface DiffRow {
  /** The line on the left (existing), or null where the right has an extra line. */
  left: string | null;
  /** The line on the right (incoming), or null where the left has an extra line. */
  right: string | null;
  changed: boolean;
}

/** Above this many cells the LCS table is not built and lines are paired by position instead. */
const MAX_CELLS = 4_000_000;

type Op = { kind: "same"; a: string; b: string } | { kind: "del"; a: string } | { kind: "add"; b: string };

function lcsOps(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j] = LCS length of a[i..] and b[j..], flattened.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: "same", a: a[i]!, b: b[j]! });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      ops.push({ kind: "del", a: a[i++]! });
    } else {
      ops.push({ kind: "add", b: b[j++]! });
    }
  }
  while (i < n) ops.push({ kind: "del", a: a[i++]! });
  while (j < m) ops.push({ kind: "add", b: b[j++]! });
  return ops;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
}

/** Side-by-side rows for `left` (existing) and `right` (incoming). */
export function sideBySide(left: string, right: string): DiffRow[] {
  const a = splitLines(left);
  const b = splitLines(right);
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, k) => {
      const l = a[k] ?? null;
      const r = b[k] ?? null;
      return { left: l, right: r, changed: l !== r };
    });
  }
  const rows: DiffRow[] = [];
  let dels: string[] = [];
  let adds: string[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(dels.length, adds.length); k++) {
      rows.push({ left: dels[k] ?? null, right: adds[k] ?? null, changed: true });
    }
    dels = [];
    adds = [];
  };
  for (const op of lcsOps(a, b)) {
    if (op.kind === "same") {
      flush();
      rows.push({ left: op.a, right: op.b, changed: false });
    } else if (op.kind === "del") {
      dels.push(op.a);
    } else {
      adds.push(op.b);
    }
  }
  flush();
  return rows;
}

/** How many rows differ. */
export function changedRows(rows: readonly DiffRow[]): number {
  return rows.filter((r) => r.changed).length;
}
