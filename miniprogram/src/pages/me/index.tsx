import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { staffBindingRequestSchema, staffRoleLabels, type CustomerUser } from '@qiao/shared';
import { bindStaff, unbindIdentity } from '../../api/me';
import { ApiError, errorMessage, request } from '../../api/request';
import { clearSession, currentUser, ensureSession, refreshUser } from '../../api/session';
import { FieldError } from '../../components/Form';
import { LoadFailed, Loading } from '../../components/LoadState';
import { check } from '../../utils/form';
import { open, routes, toast } from '../../utils/nav';
import './index.css';

function LinkRow({ id, label, hint, onClick }: { id: string; label: string; hint?: string; onClick: () => void }) {
  return (
    <View id={id} className='me-link' onClick={onClick}>
      <Text className='me-link__label'>{label}</Text>
      <Text className='me-link__hint'>{hint ?? ''} ›</Text>
    </View>
  );
}

function Profile({ user }: { user: CustomerUser }) {
  const name = user.staff?.name ?? user.contact?.name ?? '微信用户';
  return (
    <View id='me-profile' className='card me-profile'>
      <View className='me-profile__avatar'>
        <Text>{name.slice(0, 1)}</Text>
      </View>
      <View className='me-profile__main'>
        <Text className='me-profile__name'>{name}</Text>
        {user.contact ? (
          <Text className='muted'>
            {user.contact.customerName} · {user.contact.phone}
          </Text>
        ) : null}
        {user.staff ? <Text className='muted'>职员 · {staffRoleLabels[user.staff.role]}</Text> : null}
        <View className='row me-profile__tags'>
          <Text id='me-verify-state' className={user.verified ? 'tag tag--green' : 'tag tag--grey'}>
            {user.verified ? '已验证身份' : '未验证身份'}
          </Text>
          {user.followsOfficialAccount ? <Text className='tag me-profile__tag'>已关注公众号</Text> : null}
        </View>
      </View>
    </View>
  );
}

/** Set by 退出登录 until the person logs in again: pages do not log in silently meanwhile here. */
let signedOut = false;

/** Ends this mini-program session on the server (POST /auth/logout) and forgets it here. */
async function logOut(): Promise<void> {
  const session = await ensureSession();
  try {
    await request({ method: 'POST', path: '/api/v1/auth/logout', token: session.token });
  } catch (failure) {
    // Already over on the server (expired, or ended by a password reset): nothing left to end.
    if (!(failure instanceof ApiError && failure.status === 401)) throw failure;
  }
  clearSession();
  signedOut = true;
}

export default function MePage() {
  const [user, setUser] = useState<CustomerUser | null>(null);
  const [loggedOut, setLoggedOut] = useState(signedOut);
  const [error, setError] = useState<string | null>(null);
  const [inviteCode, setInviteCode] = useState('');
  const [bindError, setBindError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useDidShow(() => {
    if (signedOut) return;
    // Show what we know at once, then what the server knows now.
    currentUser().then(setUser, (failure: unknown) => setError(errorMessage(failure)));
    refreshUser().then(
      (fresh) => {
        setUser(fresh);
        setError(null);
      },
      () => undefined,
    );
  });

  async function unbind(): Promise<void> {
    const answer = await Taro.showModal({
      title: '解除绑定',
      content: '解除后将不能提交服务请求和查看设备，需重新验证身份。确定解除吗？',
      confirmText: '解除',
      confirmColor: '#d83931',
    });
    if (!answer.confirm) return;
    setBusy(true);
    try {
      setUser(await unbindIdentity());
      toast('已解除绑定');
    } catch (failure) {
      toast(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  async function logout(): Promise<void> {
    const answer = await Taro.showModal({ title: '退出登录', content: '确定退出登录吗？', confirmText: '退出' });
    if (!answer.confirm) return;
    setBusy(true);
    try {
      await logOut();
      setUser(null);
      setLoggedOut(true);
      toast('已退出登录');
    } catch (failure) {
      toast(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  async function logIn(): Promise<void> {
    setBusy(true);
    signedOut = false;
    try {
      setUser(await refreshUser());
      setLoggedOut(false);
      setError(null);
    } catch (failure) {
      signedOut = true;
      toast(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  async function bind(): Promise<void> {
    if (busy) return;
    const checked = check(staffBindingRequestSchema, { inviteCode: inviteCode.trim().toUpperCase() });
    if (!checked.ok) {
      setBindError(checked.errors.inviteCode ?? '邀请码无效');
      return;
    }
    setBindError(null);
    setBusy(true);
    try {
      const bound = await bindStaff(checked.data.inviteCode);
      setUser(bound);
      void Taro.showToast({ title: '绑定成功', icon: 'success' });
      if (bound.staff) void Taro.reLaunch({ url: routes.engineerOrders });
    } catch (failure) {
      setBindError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  if (loggedOut) {
    return (
      <View className='page'>
        <View id='me-logged-out' className='card'>
          <Text className='card__title'>已退出登录</Text>
          <Button id='me-login' type='primary' disabled={busy || undefined} onClick={() => void logIn()}>
            重新登录
          </Button>
        </View>
      </View>
    );
  }

  if (!user) {
    return (
      <View className='page'>
        {error ? <LoadFailed error={error} /> : <Loading />}
      </View>
    );
  }

  return (
    <View className='page'>
      <Profile user={user} />
      <View className='card me-links'>
        {user.staff ? (
          <LinkRow id='me-orders' label='我的工单' onClick={() => void Taro.reLaunch({ url: routes.engineerOrders })} />
        ) : (
          <>
            <LinkRow id='me-feedbacks' label='我的服务请求' onClick={() => void Taro.reLaunch({ url: routes.index })} />
            <LinkRow id='me-devices' label='我的设备' onClick={() => open(routes.devices)} />
          </>
        )}
        <LinkRow id='me-campaigns' label='我的方案' hint='营销活动与专属分享' onClick={() => open(routes.myCampaigns)} />
        {user.verified ? (
          <LinkRow id='me-unbind' label='解除绑定' hint={user.contact?.customerName} onClick={() => void unbind()} />
        ) : (
          <LinkRow id='me-verify' label='身份验证' hint='验证后可报修、查看设备' onClick={() => open(routes.verify)} />
        )}
      </View>
      {user.staff ? null : (
        <View id='me-staff-binding' className='card'>
          <Text className='card__title'>员工绑定</Text>
          <Text className='muted me-bind__hint'>公司职员请输入管理后台提供的 8 位邀请码，绑定后可在这里处理工单。</Text>
          <View className='row'>
            <Input
              id='me-invite-code'
              className='field__input me-bind__input'
              maxlength={8}
              placeholder='8 位邀请码'
              value={inviteCode}
              onInput={(event) => setInviteCode(event.detail.value.toUpperCase())}
            />
            <Button id='me-bind-submit' className='field__button' size='mini' type='primary' disabled={busy || undefined} onClick={() => void bind()}>
              绑定
            </Button>
          </View>
          <FieldError id='me-bind-error' message={bindError} />
        </View>
      )}
      <View className='card me-links'>
        <LinkRow id='me-logout' label='退出登录' onClick={() => void logout()} />
      </View>
    </View>
  );
}
