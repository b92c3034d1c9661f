import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { defined } from '../utils/props';

function Line({ id, message, className }: { id?: string; message: string | null | undefined; className: string }) {
  return message ? (
    <Text {...defined({ id })} className={className}>
      {message}
    </Text>
  ) : null;
}

type LineProps = { id?: string; message: string | null | undefined };

/** A field's error line; nothing when there is none. */
export const FieldError = (props: LineProps) => <Line {...props} className='field__error' />;

/** The message under a whole form; nothing when there is none. */
export const FormError = (props: LineProps) => <Line {...props} className='form-error' />;

interface FieldProps {
  /** Left out when the control brings its own heading. */
  label?: ReactNode;
  /** Adds the red *. */
  required?: boolean;
  error?: string;
  children: ReactNode;
}

/** One form field: label, control, error. */
export function Field({ label, required = false, error, children }: FieldProps) {
  return (
    <View className='field'>
      {label === undefined ? null : (
        <Text className='field__label'>
          {label}
          {required ? <Text className='field__required'> *</Text> : null}
        </Text>
      )}
      {children}
      <FieldError message={error} />
    </View>
  );
}

interface TextFieldProps extends Omit<FieldProps, 'children'> {
  id: string;
  value: string;
  placeholder: string;
  maxlength: number;
  type?: 'number';
  /** A Textarea instead of an Input. */
  multiline?: boolean;
  onInput: (event: { detail: { value: string } }) => void;
}

/** A field of one text input (or textarea). */
export function TextField({ label, required, error, multiline = false, ...input }: TextFieldProps) {
  return (
    <Field label={label} required={required} error={error}>
      {multiline ? <Textarea className='field__textarea' {...defined(input)} /> : <Input className='field__input' {...defined(input)} />}
    </Field>
  );
}

interface SubmitProps {
  id: string;
  label: string;
  busy: boolean;
  /** Shown while busy. */
  busyLabel?: string;
  disabled?: boolean;
  onClick: () => void;
}

/** The full-width primary button that sends a form. */
export function SubmitButton({ id, label, busy, busyLabel = '提交中…', disabled = false, onClick }: SubmitProps) {
  return (
    <Button id={id} className='actions__button' type='primary' disabled={busy || disabled || undefined} onClick={onClick}>
      {busy ? busyLabel : label}
    </Button>
  );
}
