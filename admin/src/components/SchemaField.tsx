import type { ReactNode } from 'react';
import { Col, Form, Input } from 'antd';
import { zodRule, type Parser } from '../lib/zodForm';

export interface SchemaFieldProps {
  name: string;
  label: ReactNode;
  /** The field's schema (from the shared one), checked as the person types. */
  schema: Parser<unknown>;
  required?: boolean;
  extra?: ReactNode;
  /** Its width in the form's Row (of 24); without it the item is not put in a column. */
  span?: number;
  /** Of the plain text input. */
  placeholder?: string;
  maxLength?: number;
  /** Another control instead of the plain text input. */
  children?: ReactNode;
}

/** A form item validated with its shared-schema field: a text input unless `children` says otherwise. */
export function SchemaField({ name, label, schema, required, extra, span, placeholder, maxLength, children }: SchemaFieldProps) {
  const item = (
    <Form.Item name={name} label={label} required={required} rules={[zodRule(schema)]} extra={extra}>
      {children ?? <Input placeholder={placeholder} maxLength={maxLength} />}
    </Form.Item>
  );
  return span ? <Col span={span}>{item}</Col> : item;
}
