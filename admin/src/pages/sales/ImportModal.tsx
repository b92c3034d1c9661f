import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Descriptions, Modal, Progress, Space, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { IMPORT_LIMITS, importStatusLabels, type ImportAttachment, type ImportDetail, type ImportRejection, type ImportStatus } from '@qiao/shared';
import { downloadImportReport, downloadImportTemplate, getImport, startImport } from '../../api/imports';
import { toApiError } from '../../lib/useRemote';

export interface ImportModalProps {
  open: boolean;
  /** An import to show (from the history); none: start a new one. */
  importId?: string | null;
  onClose: () => void;
  /** An import finished: the customer list may have grown. */
  onFinished?: () => void;
}

const POLL_MS = 1_000;
const STATUS_COLORS: Record<ImportStatus, string> = { queued: 'default', validating: 'processing', importing: 'processing', done: 'success', failed: 'error' };
const finishedStatus = (status: ImportStatus) => status === 'done' || status === 'failed';

export function ImportStatusTag({ status }: { status: ImportStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{importStatusLabels[status]}</Tag>;
}

/** 导入客户: template, upload, a progress bar while the job runs, then the counts and the rejected rows. */
export function ImportModal({ open, importId = null, onClose, onFinished }: ImportModalProps) {
  const { message } = AntApp.useApp();
  const [current, setCurrent] = useState<string | null>(importId);
  const [detail, setDetail] = useState<ImportDetail | null>(null);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setCurrent(importId);
    setDetail(null);
    setError(null);
  }, [open, importId]);

  // Poll the import while it runs; stop once it is done or failed.
  useEffect(() => {
    if (!open || !current) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await getImport(current, controller.signal);
        setDetail(next);
        if (finishedStatus(next.status)) {
          if (next.status === 'done') onFinished?.();
          return;
        }
      } catch (failure) {
        if (controller.signal.aborted) return;
        setError(toApiError(failure).message);
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // onFinished is a fresh closure each render; the import id says when to poll anew.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, current]);

  const upload = async (file: File) => {
    setUploading(true);
    setError(null);
    try {
      const started = await startImport(file);
      setDetail(null);
      setCurrent(started.id);
    } catch (failure) {
      setError(toApiError(failure).message);
    } finally {
      setUploading(false);
    }
  };

  const template = async () => {
    try {
      await downloadImportTemplate();
    } catch (failure) {
      message.error(toApiError(failure).message);
    }
  };

  const report = async () => {
    if (!current) return;
    try {
      await downloadImportReport(current);
    } catch (failure) {
      message.error(toApiError(failure).message);
    }
  };

  const percent = detail && detail.totalRows > 0 ? Math.floor((detail.doneRows / detail.totalRows) * 100) : 0;
  const done = detail !== null && finishedStatus(detail.status);

  return (
    <Modal
      open={open}
      title="导入客户"
      width={760}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          {done && detail?.status === 'done' && (detail.counts.rejectedRows > 0 || detail.counts.attachedCustomers > 0) ? (
            <Button id="import-report" icon={<DownloadOutlined />} onClick={() => void report()}>
              {detail.counts.rejectedRows > 0 ? '下载错误报告' : '下载导入报告'}
            </Button>
          ) : null}
          {done ? (
            <Button id="import-again" onClick={() => setCurrent(null)}>
              继续导入
            </Button>
          ) : null}
          <Button id="import-close" type={done ? 'primary' : 'default'} onClick={onClose}>
            {done || !current ? '关闭' : '后台导入，关闭窗口'}
          </Button>
        </Space>
      }
    >
      <div id="import-modal">
        {error ? <Alert type="error" showIcon role="alert" className="api-error" message={error} style={{ marginBottom: 16 }} /> : null}
        {!current ? (
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              请先下载导入模板，每行填写一个联系人或一台设备，同一客户的多行填写相同的客户名称或编码。 文件不超过{' '}
              {IMPORT_LIMITS.maxBytes / 1024 / 1024} MB、{IMPORT_LIMITS.maxRows} 行；同一客户的任何一行有错误时该客户整组不导入，撞单的客户也不导入。
            </Typography.Paragraph>
            <Button id="import-template" icon={<DownloadOutlined />} onClick={() => void template()}>
              下载模板
            </Button>
            <div id="import-upload">
              <Upload.Dragger
                accept=".xlsx"
                multiple={false}
                showUploadList={false}
                disabled={uploading}
                beforeUpload={(file) => {
                  void upload(file);
                  return false;
                }}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{uploading ? '正在上传并检查文件…' : '点击或拖拽 Excel 文件（.xlsx）到这里'}</p>
              </Upload.Dragger>
            </div>
          </Space>
        ) : !detail ? (
          <Progress percent={0} status="active" />
        ) : !done ? (
          <div id="import-progress">
            <Space style={{ marginBottom: 8 }}>
              <ImportStatusTag status={detail.status} />
              <Typography.Text>{detail.fileName}</Typography.Text>
            </Space>
            <Progress percent={percent} status="active" />
            <Typography.Text type="secondary">
              已处理 {detail.doneRows} / {detail.totalRows} 行，可关闭窗口，导入在后台继续
            </Typography.Text>
          </div>
        ) : (
          <ImportResult detail={detail} />
        )}
      </div>
    </Modal>
  );
}

function ImportResult({ detail }: { detail: ImportDetail }) {
  if (detail.status === 'failed') {
    return <Alert id="import-result" type="error" showIcon message="导入失败，没有导入任何数据" description={detail.error} />;
  }
  const columns = [
    { title: '行号', dataIndex: 'row', width: 70 },
    { title: '客户名称', dataIndex: 'customerName', width: 200, render: (value: string) => value || '—' },
    { title: '原因', dataIndex: 'reasons', render: (reasons: string[]) => reasons.join('；') },
  ];
  return (
    <div id="import-result">
      <Descriptions id="import-counts" size="small" column={5} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label="新建客户">{detail.counts.customers}</Descriptions.Item>
        <Descriptions.Item label="追加到现有客户">{detail.counts.attachedCustomers}</Descriptions.Item>
        <Descriptions.Item label="联系人">{detail.counts.contacts}</Descriptions.Item>
        <Descriptions.Item label="设备">{detail.counts.devices}</Descriptions.Item>
        <Descriptions.Item label="未导入行">{detail.counts.rejectedRows}</Descriptions.Item>
      </Descriptions>
      {detail.attachments.length > 0 ? <AttachedGroups detail={detail} /> : null}
      {detail.rejections.length > 0 ? (
        <>
          {detail.rejectionsTruncated ? (
            <Alert type="info" showIcon style={{ marginBottom: 8 }} message={`仅显示前 ${detail.rejections.length} 行，完整列表请下载错误报告`} />
          ) : null}
          <Table<ImportRejection>
            id="import-rejections"
            rowKey="row"
            size="small"
            columns={columns}
            dataSource={detail.rejections}
            pagination={{ pageSize: 10, showSizeChanger: false }}
          />
        </>
      ) : (
        <Alert type="success" showIcon message="全部导入成功" />
      )}
    </div>
  );
}

/** Groups of the file added to customers we already have: where their rows went. */
function AttachedGroups({ detail }: { detail: ImportDetail }) {
  const columns = [
    { title: '行号', dataIndex: 'rows', width: 110, render: (rows: number[]) => rows.join('、') },
    { title: '客户名称', dataIndex: 'customerName', width: 180, render: (value: string) => value || '—' },
    {
      title: '说明',
      dataIndex: 'message',
      render: (message: string, row: ImportAttachment) => (
        <Link className="import-attached-customer" to={`/sales/customers/${encodeURIComponent(row.customerId)}`}>
          {message}
        </Link>
      ),
    },
  ];
  return (
    <>
      {detail.attachmentsTruncated ? (
        <Alert type="info" showIcon style={{ marginBottom: 8 }} message={`仅显示前 ${detail.attachments.length} 个客户，完整列表请下载报告`} />
      ) : null}
      <Table<ImportAttachment>
        id="import-attachments"
        rowKey="row"
        size="small"
        columns={columns}
        dataSource={detail.attachments}
        pagination={{ pageSize: 5, showSizeChanger: false, hideOnSinglePage: true }}
        style={{ marginBottom: 16 }}
      />
    </>
  );
}
