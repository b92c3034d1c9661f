import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import type { Rule } from 'antd/es/form';
import { loginRequestSchema, type LoginRequest } from '@qiao/shared';
import { login } from '../api/auth';
import { ApiError, NETWORK_ERROR_MESSAGE } from '../api/client';
import { useSession } from '../auth/useSession';
import { REDIRECT_PARAM, safeRedirectTarget } from '../auth/redirect';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { BrandMark } from '../layout/BrandMark';
import styles from './LoginPage.module.css';

type FieldName = keyof LoginRequest;

/** An antd rule that applies the shared zod schema of one field (same messages as the server). */
function schemaRule(field: FieldName): Rule {
  const schema = loginRequestSchema.shape[field];
  return {
    validator: async (_rule, value: unknown) => {
      const result = schema.safeParse(value ?? '');
      if (!result.success) throw new Error(result.error.issues[0]?.message ?? '输入有误');
    },
  };
}

export default function LoginPage() {
  useDocumentTitle('登录');
  const session = useSession();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const [form] = Form.useForm<LoginRequest>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const target = safeRedirectTarget(searchParams.get(REDIRECT_PARAM));

  if (session && !submitting) return <Navigate to={target} replace />;

  const onFinish = async (values: LoginRequest) => {
    const parsed = loginRequestSchema.safeParse(values);
    if (!parsed.success) return; // the field rules already show why
    setError(null);
    setSubmitting(true);
    try {
      await login(parsed.data);
      navigate(target, { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError) {
        setError(caught.message);
        const details = caught.details ?? {};
        form.setFields(
          (['username', 'password'] as const)
            .filter((name) => details[name])
            .map((name) => ({ name, errors: [details[name] ?? ''] })),
        );
      } else {
        setError(NETWORK_ERROR_MESSAGE);
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className={styles.page}>
      <div className={styles.panel}>
        <div className={styles.brand}>
          <BrandMark size={48} />
          <div>
            <Typography.Title level={3} className={styles.title}>
              桥 · 客户服务与营销平台
            </Typography.Title>
            <Typography.Text type="secondary">管理控制台</Typography.Text>
          </div>
        </div>
        <Card className={styles.card} variant="borderless">
          <Typography.Title level={4} className={styles.cardTitle}>
            职员登录
          </Typography.Title>
          {error && (
            <Alert
              id="login-error"
              role="alert"
              type="error"
              showIcon
              message={error}
              className={styles.alert}
            />
          )}
          <Form<LoginRequest>
            form={form}
            layout="vertical"
            requiredMark={false}
            onFinish={onFinish}
            autoComplete="on"
            disabled={submitting}
          >
            <Form.Item label="账号" name="username" htmlFor="login-username" rules={[schemaRule('username')]}>
              <Input
                id="login-username"
                size="large"
                prefix={<UserOutlined />}
                placeholder="请输入账号"
                autoComplete="username"
                autoFocus
              />
            </Form.Item>
            <Form.Item label="密码" name="password" htmlFor="login-password" rules={[schemaRule('password')]}>
              <Input.Password
                id="login-password"
                size="large"
                prefix={<LockOutlined />}
                placeholder="请输入密码"
                autoComplete="current-password"
              />
            </Form.Item>
            <Form.Item className={styles.submitItem}>
              <Button id="login-submit" type="primary" htmlType="submit" size="large" block loading={submitting}>
                {submitting ? '正在登录…' : '登录'}
              </Button>
            </Form.Item>
          </Form>
        </Card>
        <Typography.Text type="secondary" className={styles.footer}>
          忘记密码请联系系统管理员重置
        </Typography.Text>
      </div>
    </div>
  );
}
