// The period filter of the spread pages (share tree, comparison): China days in the URL as
// YYYY-MM-DD, sent to the API as the period's first and last instants in China time.
import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';

export interface PeriodPickerProps {
  id: string;
  from: string;
  to: string;
  placeholder: [string, string];
  onChange: (from: string, to: string) => void;
  allowClear?: boolean;
}

/** Today in China (UTC+8), whatever the browser's zone: the API's days are China days. */
export function chinaToday(): Dayjs {
  return dayjs(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10), 'YYYY-MM-DD');
}

function day(value: string): Dayjs | null {
  const parsed = value ? dayjs(value, 'YYYY-MM-DD') : null;
  return parsed?.isValid() ? parsed : null;
}

export function PeriodPicker({ id, from, to, placeholder, onChange, allowClear = true }: PeriodPickerProps) {
  const today = chinaToday();
  return (
    <DatePicker.RangePicker
      id={{ start: `${id}-from`, end: `${id}-to` }}
      placeholder={placeholder}
      allowClear={allowClear}
      value={[day(from), day(to)]}
      onChange={(dates) => {
        const [start, end] = dates ?? [];
        onChange(start ? start.format('YYYY-MM-DD') : '', end ? end.format('YYYY-MM-DD') : '');
      }}
      disabledDate={(date) => date.isAfter(today, 'day')}
      presets={[
        { label: '近 7 天', value: [today.subtract(6, 'day'), today] },
        { label: '近 30 天', value: [today.subtract(29, 'day'), today] },
        { label: '近 90 天', value: [today.subtract(89, 'day'), today] },
        { label: '今年', value: [today.startOf('year'), today] },
      ]}
    />
  );
}

/** `from`/`to` query values for the API: the start of the first day and the end of the last, +08:00. */
export function periodParams(from: string, to: string): { from?: string; to?: string } {
  return {
    from: day(from) ? `${from}T00:00:00.000+08:00` : undefined,
    to: day(to) ? `${to}T23:59:59.999+08:00` : undefined,
  };
}
