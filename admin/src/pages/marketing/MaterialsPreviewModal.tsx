import { useEffect, useState } from 'react';
import { App as AntApp, Button, Flex, Input, Modal, Result, Space, Spin, Typography } from 'antd';
import { CopyOutlined, ExportOutlined } from '@ant-design/icons';
import QRCode from 'qrcode';
import { createMaterialPreviewLink } from '../../api/marketing';
import type { ApiError } from '../../api/client';
import { copyText } from '../../lib/clipboard';
import { toApiError } from '../../lib/useRemote';

export interface MaterialsPreviewModalProps {
  /** The material to preview; null when closed. */
  material: { id: string; title: string } | null;
  onClose: () => void;
}

type State = { kind: 'loading' } | { kind: 'ready'; url: string; image: string } | { kind: 'failed'; error: ApiError };

/** 扫描二维码预览: a signed 24-hour link to the material's H5 page, as a QR code for a phone. */
export function MaterialsPreviewModal({ material, onClose }: MaterialsPreviewModalProps) {
  const { message } = AntApp.useApp();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  const materialId = material?.id;
  useEffect(() => {
    if (!materialId) return;
    let cancelled = false;
    setState({ kind: 'loading' });
    createMaterialPreviewLink(materialId)
      .then(async ({ url }) => {
        // The server answers an absolute link when it knows its public origin; else a path here.
        const absolute = new URL(url, window.location.origin).toString();
        const image = await QRCode.toDataURL(absolute, { width: 240, margin: 1, errorCorrectionLevel: 'M' });
        if (!cancelled) setState({ kind: 'ready', url: absolute, image });
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ kind: 'failed', error: toApiError(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [materialId, attempt]);

  const copy = async (url: string) => {
    if (await copyText(url)) message.success('链接已复制');
    else message.error('复制失败，请手动选择链接复制');
  };

  return (
    <Modal open={material !== null} title={`扫描二维码预览：${material?.title ?? ''}`} footer={null} onCancel={onClose} destroyOnHidden width={420}>
      <div id="material-preview-modal">
        {state.kind === 'loading' ? (
          <Flex justify="center" style={{ padding: 48 }}>
            <Spin tip="正在生成预览链接…">
              <div style={{ width: 120 }} />
            </Spin>
          </Flex>
        ) : null}
        {state.kind === 'failed' ? (
          <Result
            status="error"
            title="预览链接生成失败"
            subTitle={state.error.message}
            extra={
              <Button onClick={() => setAttempt((value) => value + 1)}>
                重试
              </Button>
            }
          />
        ) : null}
        {state.kind === 'ready' ? (
          <Flex vertical align="center" gap={12}>
            <img id="material-preview-qr" src={state.image} alt="预览二维码" width={240} height={240} />
            <Typography.Text type="secondary">用微信扫一扫，在手机上查看素材效果；链接 24 小时内有效</Typography.Text>
            <Space.Compact style={{ width: '100%' }}>
              <Input id="material-preview-url" value={state.url} readOnly />
              <Button icon={<CopyOutlined />} onClick={() => void copy(state.url)}>
                复制
              </Button>
            </Space.Compact>
            <Button id="material-preview-open" type="link" icon={<ExportOutlined />} href={state.url} target="_blank" rel="noopener noreferrer">
              在新窗口打开
            </Button>
          </Flex>
        ) : null}
      </div>
    </Modal>
  );
}
