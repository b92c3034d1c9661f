// Output as Markdown table rows, to paste into docs/benchmarks.md as they are.
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const ms = (n: number) => n.toFixed(1);

export function header(title: string): void {
  console.log(`\n### ${title}\n`);
  console.log('| requests | what | n | p50 ms | p95 ms | max ms |');
  console.log('|---:|---|---:|---:|---:|---:|');
}

export function row(size: number | string, label: string, samples: number[], extra = ''): void {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(`| ${size} | ${label}${extra} | ${samples.length} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 95))} | ${ms(sorted.at(-1) ?? 0)} |`);
}
