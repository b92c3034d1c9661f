import { useEffect, useRef, useState } from 'react';
import { Select, Spin } from 'antd';
import { listCustomers } from '../api/customers';
import { useRemote } from '../lib/useRemote';

export interface CustomerSelectProps {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  /** Label of the current value before it is found by a search (e.g. when editing). */
  initialLabel?: string;
  disabled?: boolean;
}

/** Customer picker searching GET /customers?q= as the person types. */
export function CustomerSelect({ id, value, onChange, initialLabel, disabled }: CustomerSelectProps) {
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(typed.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [typed]);

  const found = useRemote((signal) => listCustomers({ q: q || undefined, pageSize: 20 }, signal), [q]);
  // Labels of customers seen so far: the chosen one keeps its name when a new search leaves it out.
  const labels = useRef(new Map<string, string>());
  const options = (found.data?.items ?? []).map((customer) => {
    const label = `${customer.name}（${customer.code}）`;
    labels.current.set(customer.id, label);
    return { value: customer.id, label };
  });
  const valueLabel = value ? (labels.current.get(value) ?? initialLabel) : undefined;
  if (value && valueLabel && !options.some((option) => option.value === value)) {
    options.unshift({ value, label: valueLabel });
  }

  return (
    <Select
      id={id}
      showSearch
      allowClear
      disabled={disabled}
      value={value}
      placeholder="输入客户名称、编码或电话搜索"
      filterOption={false}
      onSearch={setTyped}
      onChange={(next: string | undefined) => onChange?.(next)}
      options={options}
      notFoundContent={found.loading ? <Spin size="small" /> : found.error ? found.error.message : '没有找到客户'}
    />
  );
}
