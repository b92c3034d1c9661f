import type { ReactNode } from 'react';
import { Flex, Input, Select } from 'antd';

/** The line of filters above a list's table. */
export function ListFilters({ children }: { children: ReactNode }) {
  return (
    <Flex wrap gap={12} style={{ marginBottom: 16 }}>
      {children}
    </Flex>
  );
}

export interface SearchInputProps {
  id: string;
  /** The search in effect (from the URL); the box starts over when it changes. */
  value: string | undefined;
  placeholder: string;
  width: number;
  /** Called with the trimmed text on Enter, the search button and clearing. */
  onSearch: (value: string) => void;
}

/** The search box of a list page. */
export function SearchInput({ id, value, placeholder, width, onSearch }: SearchInputProps) {
  return (
    <Input.Search
      id={id}
      key={value ?? ''}
      defaultValue={value}
      allowClear
      placeholder={placeholder}
      style={{ width }}
      onSearch={(text) => onSearch(text.trim())}
    />
  );
}

export interface FilterSelectProps<V extends string> {
  id?: string;
  placeholder: string;
  width: number;
  options: Array<{ value: V; label: string }>;
  value: V | undefined;
  /** undefined when cleared. */
  onChange: (value: V | undefined) => void;
}

/** A clearable choice among a list page's filters. */
export function FilterSelect<V extends string>({ id, placeholder, width, options, value, onChange }: FilterSelectProps<V>) {
  return (
    <Select<V>
      id={id}
      allowClear
      placeholder={placeholder}
      style={{ width }}
      options={options}
      value={value}
      onChange={(next?: V) => onChange(next)}
    />
  );
}

/** A filter read from the URL: `value` when it is one of `values`, otherwise none. */
export function oneOf<V extends string>(values: readonly V[], value: string): V | undefined {
  return (values as readonly string[]).includes(value) ? (value as V) : undefined;
}
