import { Input, Text, View } from '@tarojs/components';
import type { Dispatch, SetStateAction } from 'react';
import { FieldError } from '../../components/Form';
import { errorUnder, type FieldErrors } from '../../utils/form';
import { defined } from '../../utils/props';

export interface PartRow {
  key: number;
  name: string;
  model: string;
  quantity: string;
}

export interface ChargeRow {
  key: number;
  item: string;
  /** 元, as typed. */
  amount: string;
}

type Values<T> = Omit<T, 'key'>;

/** One input of a row: `id` is its part of the element id, `visit-<list>-<id>-<index>`. */
interface Column<T> {
  field: keyof Values<T> & string;
  id: string;
  placeholder: string;
  maxlength: number;
  type?: 'number' | 'digit';
  narrow?: boolean;
}

interface RowList<T> {
  /** Ids (`visit-<id>-add`, …) and error paths (`<errors>.0.name`). */
  id: string;
  errors: 'parts' | 'charges';
  label: string;
  addLabel: string;
  blank: Values<T>;
  /** Lines of inputs; 删除 ends the first. */
  lines: Column<T>[][];
}

let nextKey = 0;

interface EditorProps<T> {
  rows: T[];
  setRows: Dispatch<SetStateAction<T[]>>;
  errors: FieldErrors;
}

/** A list of rows of inputs, each row with 删除, and + 添加 to add one. */
function RowEditor<T extends { key: number }>({ list, rows, setRows, errors }: EditorProps<T> & { list: RowList<T> }) {
  const patch = (key: number, change: Partial<T>) => setRows((prev) => prev.map((row) => (row.key === key ? { ...row, ...change } : row)));
  return (
    <View className='field'>
      <View className='row row--between'>
        <Text className='field__label'>{list.label}</Text>
        <Text
          id={`visit-${list.id}-add`}
          className='link visit-add'
          onClick={() => setRows((prev) => [...prev, { key: ++nextKey, ...list.blank } as T])}
        >
          {list.addLabel}
        </Text>
      </View>
      {rows.map((row, index) => (
        <View key={row.key} className='visit-row'>
          {list.lines.map((line, lineIndex) => (
            <View key={lineIndex} className={lineIndex === 0 ? 'row' : 'row visit-row__second'}>
              {line.map((column) => (
                <Input
                  key={column.field}
                  id={`visit-${list.id}-${column.id}-${index}`}
                  className={`field__input ${column.narrow ? 'visit-row__narrow' : 'visit-row__wide'}`}
                  {...defined({ type: column.type })}
                  maxlength={column.maxlength}
                  placeholder={column.placeholder}
                  value={String(row[column.field])}
                  onInput={(event) => patch(row.key, { [column.field]: event.detail.value } as Partial<T>)}
                />
              ))}
              {lineIndex === 0 ? (
                <Text
                  id={`visit-${list.id}-remove-${index}`}
                  className='visit-row__remove'
                  onClick={() => setRows((prev) => prev.filter((item) => item.key !== row.key))}
                >
                  删除
                </Text>
              ) : null}
            </View>
          ))}
          <FieldError message={errorUnder(errors, `${list.errors}.${index}`)} />
        </View>
      ))}
      <FieldError message={errors[list.errors]} />
    </View>
  );
}

const partList: RowList<PartRow> = {
  id: 'part',
  errors: 'parts',
  label: '使用配件',
  addLabel: '+ 添加配件',
  blank: { name: '', model: '', quantity: '1' },
  lines: [
    [{ field: 'name', id: 'name', placeholder: '配件名称', maxlength: 50 }],
    [
      { field: 'model', id: 'model', placeholder: '型号（选填）', maxlength: 50 },
      { field: 'quantity', id: 'qty', placeholder: '数量', maxlength: 3, type: 'number', narrow: true },
    ],
  ],
};

const chargeList: RowList<ChargeRow> = {
  id: 'charge',
  errors: 'charges',
  label: '收费项目',
  addLabel: '+ 添加费用',
  blank: { item: '', amount: '' },
  lines: [
    [
      { field: 'item', id: 'item', placeholder: '费用项目，如上门费', maxlength: 50 },
      { field: 'amount', id: 'amount', placeholder: '金额(元)', maxlength: 12, type: 'digit', narrow: true },
    ],
  ],
};

/** 配件: rows of name, model, quantity. */
export function Parts(props: EditorProps<PartRow>) {
  return <RowEditor list={partList} {...props} />;
}

/** 费用: rows of item and amount in 元 (sent as integer fen). */
export function Charges(props: EditorProps<ChargeRow>) {
  return <RowEditor list={chargeList} {...props} />;
}
