/**
 * The `count` best entries of `scores[offset .. offset + length)`, best first; ties keep the lower
 * index first (torch.topk leaves their order unspecified).
 */
export function topIndices(scores: ArrayLike<number>, offset: number, length: number, count: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < length; i++) {
    const s = scores[offset + i] as number;
    if (best.length === count) {
      if (!(s > (scores[offset + (best[count - 1] as number)] as number))) continue;
      best.pop();
    }
    let at = best.length;
    while (at > 0 && s > (scores[offset + (best[at - 1] as number)] as number)) at--;
    best.splice(at, 0, i);
  }
  return best;
}
