// The image fields of the material editor: the cover and the attachments, uploaded at once
// through POST /api/v1/uploads (the form keeps their ids).
import { useRef, useState } from 'react';
import { App as AntApp, Button, Flex, Image, List, Typography, Upload } from 'antd';
import { DeleteOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { MaterialAttachment } from '@qiao/shared';
import { uploadImage } from '../../api/marketing';
import { toApiError } from '../../lib/useRemote';

const IMAGE_TYPES = ['image/jpeg', 'image/png'];
const MAX_BYTES = 5 * 1024 * 1024;

/** The reason a picked file cannot be uploaded, or null. */
function rejectReason(file: File): string | null {
  if (!IMAGE_TYPES.includes(file.type)) return '只能上传 JPG 或 PNG 格式的图片';
  if (file.size > MAX_BYTES) return '图片不能超过 5 MB';
  return null;
}

function useUpload() {
  const { message } = AntApp.useApp();
  // A count: several files may be uploading at once.
  const [pending, setPending] = useState(0);
  const upload = async (file: File) => {
    const reason = rejectReason(file);
    if (reason) {
      message.error(reason);
      return null;
    }
    setPending((count) => count + 1);
    try {
      return await uploadImage(file);
    } catch (error) {
      message.error(toApiError(error).message);
      return null;
    } finally {
      setPending((count) => count - 1);
    }
  };
  return { busy: pending > 0, upload };
}

export interface Cover {
  fileId: string;
  url: string;
}

/** 封面: one image, replaced or removed. A controlled form field. */
export function CoverInput({ id, value, onChange }: { id?: string; value?: Cover | null; onChange?: (value: Cover | null) => void }) {
  const { busy, upload } = useUpload();
  const picker = (
    <Upload
      accept={IMAGE_TYPES.join(',')}
      showUploadList={false}
      beforeUpload={(file) => {
        void upload(file).then((uploaded) => uploaded && onChange?.({ fileId: uploaded.id, url: uploaded.url }));
        return false;
      }}
    >
      <Button id={id} icon={value ? <UploadOutlined /> : <PlusOutlined />} loading={busy}>
        {value ? '更换封面' : '上传封面'}
      </Button>
    </Upload>
  );
  return (
    <Flex gap={16} align="flex-end" className="material-cover">
      {value ? <Image src={value.url} alt="封面" width={160} height={90} style={{ objectFit: 'cover', borderRadius: 4 }} /> : null}
      <Flex vertical gap={8}>
        {picker}
        {value ? (
          <Button type="link" danger size="small" onClick={() => onChange?.(null)} style={{ padding: 0 }}>
            移除封面
          </Button>
        ) : null}
      </Flex>
    </Flex>
  );
}

/** 附件: up to 10 images (product sheets …), each with its name. A controlled form field. */
export function AttachmentsInput({ id, value = [], onChange }: { id?: string; value?: MaterialAttachment[]; onChange?: (value: MaterialAttachment[]) => void }) {
  const { busy, upload } = useUpload();
  // Several files upload at once: each adds to what the last one left, not to this render's value.
  const latest = useRef(value);
  latest.current = value;
  const change = (next: MaterialAttachment[]) => {
    latest.current = next;
    onChange?.(next);
  };
  return (
    <div className="material-attachments">
      {value.length > 0 ? (
        <List
          size="small"
          bordered
          style={{ marginBottom: 8 }}
          dataSource={value}
          rowKey="fileId"
          renderItem={(item) => (
            <List.Item
              actions={[
                <Button key="remove" type="text" size="small" danger icon={<DeleteOutlined />} aria-label={`删除附件 ${item.name}`} onClick={() => change(value.filter((other) => other.fileId !== item.fileId))} />,
              ]}
            >
              <Typography.Link href={item.url} target="_blank" rel="noopener noreferrer">
                <PaperClipOutlined /> {item.name}
              </Typography.Link>
            </List.Item>
          )}
        />
      ) : null}
      <Upload
        accept={IMAGE_TYPES.join(',')}
        showUploadList={false}
        multiple
        disabled={value.length >= 10}
        beforeUpload={(file) => {
          void upload(file).then((uploaded) => {
            // The name is what recipients see: the file's own name, within the schema's 100 characters.
            if (uploaded && latest.current.length < 10) change([...latest.current, { fileId: uploaded.id, name: file.name.slice(0, 100), url: uploaded.url }]);
          });
          return false;
        }}
      >
        <Button id={id} icon={<UploadOutlined />} loading={busy} disabled={value.length >= 10}>
          添加附件
        </Button>
      </Upload>
    </div>
  );
}
