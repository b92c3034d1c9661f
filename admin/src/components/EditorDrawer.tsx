import type { ReactNode } from 'react';
import { Alert, Button, Col, Drawer, Row, Space } from 'antd';
import type { ApiError } from '../api/client';

export interface EditorDrawerProps {
  /** ids `<name>-editor` (the body) and `<name>-save`. */
  name: string;
  open: boolean;
  title: string;
  width: number;
  submitting: boolean;
  /** A failed save that is not on a field (409, network …), under the form. */
  failure: ApiError | null;
  /** Validates and saves; a rejection (fields left invalid) keeps the drawer open. */
  onSubmit: () => Promise<void>;
  onClose: () => void;
  /** 保存 waits, e.g. while the record is read. */
  saveDisabled?: boolean;
  /** A column beside the form (e.g. a live preview). */
  aside?: ReactNode;
  children: ReactNode;
}

/** A create/edit drawer: 取消 and 保存 above, the form, and a failed save under it; takes useEditorForm's `editor`. */
export function EditorDrawer({ name, open, title, width, submitting, failure, onSubmit, onClose, saveDisabled, aside, children }: EditorDrawerProps) {
  const body = (
    <>
      {children}
      {failure ? <Alert type="error" showIcon message={failure.message} style={{ marginTop: 16 }} /> : null}
    </>
  );
  return (
    <Drawer
      open={open}
      title={title}
      width={width}
      onClose={onClose}
      destroyOnHidden
      maskClosable={false}
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button id={`${name}-save`} type="primary" loading={submitting} disabled={saveDisabled} onClick={() => void onSubmit().catch(() => undefined)}>
            保存
          </Button>
        </Space>
      }
    >
      {aside ? (
        <Row gutter={24} id={`${name}-editor`}>
          <Col span={14}>{body}</Col>
          <Col span={10}>{aside}</Col>
        </Row>
      ) : (
        <div id={`${name}-editor`}>{body}</div>
      )}
    </Drawer>
  );
}
