import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useLoad, useRouter, useUnload } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { VERIFICATION_RULES, verificationCodeRequestSchema, verificationRequestSchema, type CustomerUser } from '@qiao/shared';
import { sendVerificationCode, verifyIdentity } from '../../api/me';
import { errorMessage } from '../../api/request';
import { currentUser } from '../../api/session';
import { FieldError, FormError, SubmitButton, TextField } from '../../components/Form';
import { LoadFailed } from '../../components/LoadState';
import { useForm } from '../../hooks/useForm';
import { check } from '../../utils/form';
import { routes, type AfterVerify } from '../../utils/nav';
import './index.css';

function nextOf(value: string | undefined): AfterVerify | null {
  return value === 'feedback' || value === 'devices' ? value : null;
}

function Success({ user, next }: { user: CustomerUser; next: AfterVerify | null }) {
  const contact = user.contact;
  function go(): void {
    if (next === 'feedback') void Taro.redirectTo({ url: routes.feedbackNew });
    else if (next === 'devices') void Taro.redirectTo({ url: routes.devices });
    else void Taro.reLaunch({ url: routes.index });
  }
  return (
    <View id='verify-success' className='card verify-success'>
      <Text className='verify-success__icon'>✓</Text>
      <Text className='verify-success__title'>身份验证成功</Text>
      {contact ? (
        <View className='verify-success__who'>
          <Text className='text'>联系人：{contact.name}</Text>
          <Text className='text'>所属客户：{contact.customerName}</Text>
        </View>
      ) : null}
      <Button id='verify-continue' className='actions__button' type='primary' onClick={go}>
        {next === 'feedback' ? '继续提交服务请求' : next === 'devices' ? '查看我的设备' : '返回首页'}
      </Button>
    </View>
  );
}

export default function VerifyPage() {
  const router = useRouter();
  const next = nextOf(router.params.next);
  const [user, setUser] = useState<CustomerUser | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const { errors, message, setMessage, submitting, setSubmitting, start, edited } = useForm();
  const [notice, setNotice] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [countdown, setCountdown] = useState(0);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);

  function stopTimer(): void {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
  }

  function startCountdown(seconds: number): void {
    stopTimer();
    setCountdown(seconds);
    timer.current = setInterval(() => {
      setCountdown((value) => {
        if (value <= 1) {
          stopTimer();
          return 0;
        }
        return value - 1;
      });
    }, 1000);
  }

  useUnload(stopTimer);

  useLoad(() => {
    currentUser().then(
      (loaded) => {
        setUser(loaded);
        if (loaded.contact?.phone) setPhone(loaded.contact.phone);
      },
      (error: unknown) => setLoadError(errorMessage(error)),
    );
  });

  async function onSend(): Promise<void> {
    if (sending || countdown > 0) return;
    const checked = check(verificationCodeRequestSchema, { phone });
    if (!start(checked, setSending)) return;
    try {
      const result = await sendVerificationCode(checked.data.phone);
      startCountdown(Math.max(1, Math.round(result.resendIn || VERIFICATION_RULES.resendSeconds)));
      setNotice(`验证码已发送至 ${checked.data.phone}，${Math.round(result.expiresIn / 60) || 5} 分钟内有效`);
    } catch (error) {
      setNotice(null);
      setMessage(errorMessage(error));
    } finally {
      setSending(false);
    }
  }

  async function onSubmit(): Promise<void> {
    if (submitting) return;
    const checked = check(verificationRequestSchema, { phone, code });
    if (!start(checked)) return;
    try {
      const verified = await verifyIdentity(checked.data.phone, checked.data.code);
      stopTimer();
      setUser(verified);
    } catch (error) {
      setMessage(errorMessage(error));
    } finally {
      setSubmitting(false);
    }
  }

  if (loadError) {
    return (
      <View className='page'>
        <LoadFailed error={loadError} />
      </View>
    );
  }
  if (user?.verified) {
    return (
      <View className='page'>
        <Success user={user} next={next} />
      </View>
    );
  }

  const sendLabel = sending ? '发送中…' : countdown > 0 ? `${countdown} 秒后重新获取` : '获取验证码';
  return (
    <View className='page'>
      <View className='verify-intro'>
        <Text className='page-title'>验证您的客户身份</Text>
        <Text className='verify-intro__hint'>
          {next ? '提交服务请求和查看设备前，' : ''}请使用在我们这里登记的联系人手机号验证身份。
        </Text>
      </View>
      <View className='card'>
        <View className='field'>
          <Text className='field__label'>手机号</Text>
          <View className='row'>
            <Input
              id='verify-phone'
              className='field__input verify-phone'
              type='number'
              maxlength={11}
              placeholder='请输入登记的手机号'
              value={phone}
              onInput={(event) => {
                edited('phone');
                setPhone(event.detail.value);
              }}
            />
            <Button
              id='verify-send'
              className='verify-send'
              type='default'
              size='mini'
              disabled={(sending || countdown > 0) || undefined}
              onClick={() => void onSend()}
            >
              {sendLabel}
            </Button>
          </View>
          <FieldError message={errors.phone} />
          {notice ? <Text id='verify-notice' className='verify-notice'>{notice}</Text> : null}
        </View>
        <TextField
          label='验证码'
          error={errors.code}
          id='verify-code'
          type='number'
          maxlength={VERIFICATION_RULES.codeLength}
          placeholder='6 位数字验证码'
          value={code}
          onInput={(event) => {
            edited('code');
            setCode(event.detail.value);
          }}
        />
        <FormError id='verify-error' message={message} />
        <SubmitButton id='verify-submit' label='验证' busy={submitting} busyLabel='验证中…' disabled={!user} onClick={() => void onSubmit()} />
      </View>
    </View>
  );
}
