import { useEffect, useState } from 'react';
import { AutoComplete, Input } from 'antd';

export interface CommitInputProps {
  value: string;
  /** Called with the trimmed text on Enter, on blur, on picking a suggestion and on clearing. */
  onCommit: (value: string) => void;
  placeholder: string;
  /** Suggestions shown while typing (free text is allowed too). */
  suggestions?: string[];
  width?: number;
  id?: string;
}

/** A text filter applied when the person is done typing, not on every key. */
export function CommitInput({ value, onCommit, placeholder, suggestions = [], width = 160, id }: CommitInputProps) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);

  const commit = (next: string) => {
    const trimmed = next.trim();
    if (trimmed !== value) onCommit(trimmed);
  };
  const needle = text.trim();
  const options = suggestions
    .filter((item) => !needle || item.includes(needle))
    .slice(0, 20)
    .map((item) => ({ value: item }));

  return (
    <AutoComplete
      id={id}
      value={text}
      options={options}
      style={{ width }}
      onChange={(next: string) => {
        setText(next);
        if (!next) commit('');
      }}
      onSelect={(next: string) => {
        setText(next);
        commit(next);
      }}
      onBlur={() => commit(text)}
    >
      <Input allowClear placeholder={placeholder} onPressEnter={() => commit(text)} />
    </AutoComplete>
  );
}
