// How report numbers read on screen: hours and percentages with their unit, amounts in 元.
import type { ReportCell, ReportColumnKind } from '@qiao/shared';
import { formatFen } from '../../lib/format';

export function formatCell(kind: ReportColumnKind, value: ReportCell | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (kind === 'percent') return `${value}%`;
  if (kind === 'hours') return `${value} 小时`;
  if (kind === 'money') return formatFen(value);
  return value.toLocaleString('zh-CN');
}

/** A number for a chart (money in 元), null for an empty cell. */
export function chartValue(kind: ReportColumnKind, value: ReportCell | undefined): number | null {
  if (typeof value !== 'number') return null;
  return kind === 'money' ? value / 100 : value;
}
