import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { intentCreateSchema } from '@qiao/shared';
import { submitIntent, visitorId } from '../../api/marketing';
import { ApiError } from '../../api/request';
import { keptSession } from '../../api/session';
import { Field, FormError, SubmitButton, TextField } from '../../components/Form';
import { useForm } from '../../hooks/useForm';
import { check } from '../../utils/form';

interface IntentFormProps {
  campaignId: string;
  /** The viewer's own share token: the lead is credited to the whole path up to it. */
  shareToken: string;
  /** Products of interest offered by the campaign. */
  products: string[];
}

/** What a verified contact already told us fills the form in. */
function known(): { name: string; phone: string; company: string } {
  const contact = keptSession()?.user.contact;
  return { name: contact?.name ?? '', phone: contact?.phone ?? '', company: contact?.customerName ?? '' };
}

/** 意向 form: products of interest, name, phone, company, note → a lead; then a clear success state. */
export function IntentForm({ campaignId, shareToken, products }: IntentFormProps) {
  const [initial] = useState(known);
  const [picked, setPicked] = useState<string[]>([]);
  const [name, setName] = useState(initial.name);
  const [phone, setPhone] = useState(initial.phone);
  const [company, setCompany] = useState(initial.company);
  const [note, setNote] = useState('');
  const [done, setDone] = useState(false);
  const { errors, message, submitting, start, fail, edited } = useForm();

  function bound(key: string, value: string, set: (value: string) => void) {
    return {
      value,
      error: errors[key],
      onInput: (event: { detail: { value: string } }) => {
        edited(key);
        set(event.detail.value);
      },
    };
  }

  function toggle(product: string): void {
    edited('products');
    setPicked((current) => (current.includes(product) ? current.filter((item) => item !== product) : [...current, product]));
  }

  async function onSubmit(): Promise<void> {
    if (submitting || done) return;
    const checked = check(intentCreateSchema, {
      s: shareToken,
      visitorId: visitorId(),
      name,
      phone,
      company,
      products: picked,
      ...(note.trim() ? { note } : {}),
    });
    if (!start(checked)) return;
    try {
      await submitIntent(campaignId, checked.data);
      setDone(true);
    } catch (error) {
      fail(error, error instanceof ApiError && error.status !== 0 ? error.message : '网络连接失败，请重新提交');
    }
  }

  if (done) {
    return (
      <View id='cp-intent-done' className='card cp-intent cp-intent--done'>
        <Text className='cp-intent__done-title'>提交成功</Text>
        <Text className='muted'>感谢您的关注，我们的顾问会尽快与您联系。</Text>
      </View>
    );
  }

  return (
    <View id='cp-intent' className='card cp-intent'>
      <Text className='card__title'>我感兴趣</Text>
      <Text className='muted cp-intent__hint'>留下您的联系方式，我们的顾问会与您联系。</Text>
      {products.length > 0 ? (
        <Field label='感兴趣的产品' error={errors.products}>
          <View className='chips'>
            {products.map((product, index) => (
              <View
                key={product}
                id={`cp-intent-product-${index}`}
                className={`chip ${picked.includes(product) ? 'chip--active' : ''}`}
                onClick={() => toggle(product)}
              >
                {product}
              </View>
            ))}
          </View>
        </Field>
      ) : null}
      <TextField label='姓名' required id='cp-intent-name' maxlength={50} placeholder='您的姓名' {...bound('name', name, setName)} />
      <TextField label='手机号' required id='cp-intent-phone' type='number' maxlength={11} placeholder='11 位手机号' {...bound('phone', phone, setPhone)} />
      <TextField label='公司' id='cp-intent-company' maxlength={100} placeholder='公司名称' {...bound('company', company, setCompany)} />
      <TextField label='备注' multiline id='cp-intent-note' maxlength={500} placeholder='想了解的内容（选填）' {...bound('note', note, setNote)} />
      <FormError id='cp-intent-error' message={message} />
      <SubmitButton id='cp-intent-submit' label='提交意向' busy={submitting} onClick={() => void onSubmit()} />
    </View>
  );
}
