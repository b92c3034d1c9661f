import { App as AntApp, Alert, Button, Flex, Modal, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import type { InviteCode } from '@qiao/shared';
import { copyText } from '../../lib/clipboard';
import { formatDateTime } from '../../lib/format';

export interface InviteCodeModalProps {
  /** The code just generated, with whom it is for; null when closed. */
  invite: { code: InviteCode; name: string } | null;
  onClose: () => void;
}

/** Shows a fresh invite code: the staff member types it in the mini-program to bind their WeChat. */
export function InviteCodeModal({ invite, onClose }: InviteCodeModalProps) {
  const { message } = AntApp.useApp();
  const copy = async () => {
    if (!invite) return;
    if (await copyText(invite.code.code)) message.success('邀请码已复制');
    else message.error('复制失败，请手动选择邀请码复制');
  };

  return (
    <Modal
      open={invite !== null}
      title={invite ? `${invite.name} 的微信绑定邀请码` : '邀请码'}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          完成
        </Button>
      }
      modalRender={(node) => <div id="invite-code-modal">{node}</div>}
    >
      {invite ? (
        <Flex vertical align="center" gap={12} style={{ padding: '16px 0 8px' }}>
          <Typography.Text
            id="invite-code-value"
            style={{ fontSize: 32, fontWeight: 600, letterSpacing: 6, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}
          >
            {invite.code.code}
          </Typography.Text>
          <Button id="invite-code-copy" icon={<CopyOutlined />} onClick={copy}>
            复制邀请码
          </Button>
          <Typography.Text type="secondary" id="invite-code-expiry">
            有效期至 {formatDateTime(invite.code.expiresAt)}，仅可使用一次
          </Typography.Text>
          <Alert
            type="info"
            showIcon
            style={{ width: '100%' }}
            message="在小程序“我的”页面输入邀请码完成绑定"
            description="绑定后，该职员可以在微信小程序中接收和处理工单。"
          />
        </Flex>
      ) : null}
    </Modal>
  );
}
