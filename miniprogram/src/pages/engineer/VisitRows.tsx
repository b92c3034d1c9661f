import { Input, Text, View } from '@tarojs/components';
import type { Dispatch, SetStateAction } from 'react';
import { errorUnder, type FieldErrors } from '../../utils/form';

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

let nextKey = 0;

function patchRow<T extends { key: number }>(setRows: Dispatch<SetStateAction<T[]>>, key: number, patch: Partial<T>): void {
  setRows((rows) => rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
}

function RowError({ errors, prefix }: { errors: FieldErrors; prefix: string }) {
  const message = errorUnder(errors, prefix);
  return message ? <Text className='field__error'>{message}</Text> : null;
}

/** 配件: rows of name, model, quantity. */
export function Parts({ rows, setRows, errors }: { rows: PartRow[]; setRows: Dispatch<SetStateAction<PartRow[]>>; errors: FieldErrors }) {
  return (
    <View className='field'>
      <View className='row row--between'>
        <Text className='field__label'>使用配件</Text>
        <Text
          id='visit-part-add'
          className='link visit-add'
          onClick={() => setRows((prev) => [...prev, { key: ++nextKey, name: '', model: '', quantity: '1' }])}
        >
          + 添加配件
        </Text>
      </View>
      {rows.map((row, index) => (
        <View key={row.key} className='visit-row'>
          <View className='row'>
            <Input
              id={`visit-part-name-${index}`}
              className='field__input visit-row__wide'
              maxlength={50}
              placeholder='配件名称'
              value={row.name}
              onInput={(event) => patchRow(setRows, row.key, { name: event.detail.value })}
            />
            <Text id={`visit-part-remove-${index}`} className='visit-row__remove' onClick={() => setRows((prev) => prev.filter((item) => item.key !== row.key))}>
              删除
            </Text>
          </View>
          <View className='row visit-row__second'>
            <Input
              id={`visit-part-model-${index}`}
              className='field__input visit-row__wide'
              maxlength={50}
              placeholder='型号（选填）'
              value={row.model}
              onInput={(event) => patchRow(setRows, row.key, { model: event.detail.value })}
            />
            <Input
              id={`visit-part-qty-${index}`}
              className='field__input visit-row__narrow'
              type='number'
              maxlength={3}
              placeholder='数量'
              value={row.quantity}
              onInput={(event) => patchRow(setRows, row.key, { quantity: event.detail.value })}
            />
          </View>
          <RowError errors={errors} prefix={`parts.${index}`} />
        </View>
      ))}
      {typeof errors.parts === 'string' ? <Text className='field__error'>{errors.parts}</Text> : null}
    </View>
  );
}

/** 费用: rows of item and amount in 元 (sent as integer fen). */
export function Charges({ rows, setRows, errors }: { rows: ChargeRow[]; setRows: Dispatch<SetStateAction<ChargeRow[]>>; errors: FieldErrors }) {
  return (
    <View className='field'>
      <View className='row row--between'>
        <Text className='field__label'>收费项目</Text>
        <Text
          id='visit-charge-add'
          className='link visit-add'
          onClick={() => setRows((prev) => [...prev, { key: ++nextKey, item: '', amount: '' }])}
        >
          + 添加费用
        </Text>
      </View>
      {rows.map((row, index) => (
        <View key={row.key} className='visit-row'>
          <View className='row'>
            <Input
              id={`visit-charge-item-${index}`}
              className='field__input visit-row__wide'
              maxlength={50}
              placeholder='费用项目，如上门费'
              value={row.item}
              onInput={(event) => patchRow(setRows, row.key, { item: event.detail.value })}
            />
            <Input
              id={`visit-charge-amount-${index}`}
              className='field__input visit-row__narrow'
              type='digit'
              maxlength={12}
              placeholder='金额(元)'
              value={row.amount}
              onInput={(event) => patchRow(setRows, row.key, { amount: event.detail.value })}
            />
            <Text id={`visit-charge-remove-${index}`} className='visit-row__remove' onClick={() => setRows((prev) => prev.filter((item) => item.key !== row.key))}>
              删除
            </Text>
          </View>
          <RowError errors={errors} prefix={`charges.${index}`} />
        </View>
      ))}
      {typeof errors.charges === 'string' ? <Text className='field__error'>{errors.charges}</Text> : null}
    </View>
  );
}
