/**
 * Exact ROC AUC by ranks (ties share their mean rank), over the rows where `mask` is 1 (all rows without a
 * mask). Labels are 0/1; NaN labels are skipped. NaN when the rows hold only one class. Kept local so the
 * simulator can report the best possible AUC without depending on the trainer's metrics.
 */
export function exactAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, mask?: ArrayLike<number>): number {
  const index: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if ((mask === undefined || mask[i] === 1) && !Number.isNaN(labels[i]!)) index.push(i);
  }
  index.sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < index.length; ) {
    let end = start;
    while (end + 1 < index.length && scores[index[end + 1]!] === scores[index[start]!]) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[index[k]!] === 1) {
        positives++;
        rankSum += meanRank;
      }
    }
    start = end + 1;
  }
  const negatives = index.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
