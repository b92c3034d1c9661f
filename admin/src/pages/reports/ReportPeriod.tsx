// The period of the reports page: China days in the URL, a range picker with quick periods
// (近7天 / 近30天 / 本月 / 本季度).
import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';

/** Today in China (UTC+8), whatever the browser's zone: the API's days are China days. */
export function chinaToday(): Dayjs {
  return dayjs(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10), 'YYYY-MM-DD');
}

export function defaultPeriod(): { from: string; to: string } {
  const today = chinaToday();
  return { from: today.subtract(29, 'day').format('YYYY-MM-DD'), to: today.format('YYYY-MM-DD') };
}

const quarterStart = (day: Dayjs) => day.startOf('month').month(Math.floor(day.month() / 3) * 3);

export function ReportPeriodPicker({ from, to, onChange }: { from: string; to: string; onChange: (from: string, to: string) => void }) {
  const today = chinaToday();
  return (
    <DatePicker.RangePicker
      id={{ start: 'report-period', end: 'report-period-to' }}
      allowClear={false}
      value={[dayjs(from, 'YYYY-MM-DD'), dayjs(to, 'YYYY-MM-DD')]}
      onChange={(dates) => {
        const [start, end] = dates ?? [];
        if (start && end) onChange(start.format('YYYY-MM-DD'), end.format('YYYY-MM-DD'));
      }}
      // The API covers at most 366 days.
      disabledDate={(date, info) => date.isAfter(today, 'day') || (info.from ? Math.abs(date.diff(info.from, 'day')) > 365 : false)}
      presets={[
        { label: '近7天', value: [today.subtract(6, 'day'), today] },
        { label: '近30天', value: [today.subtract(29, 'day'), today] },
        { label: '本月', value: [today.startOf('month'), today] },
        { label: '本季度', value: [quarterStart(today), today] },
      ]}
    />
  );
}
