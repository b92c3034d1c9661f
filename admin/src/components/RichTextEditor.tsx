// The console's rich-text editor (wangEditor 5): toolbar and editable area, value as HTML. Images
// are uploaded through POST /api/v1/uploads and inserted by their signed link.
import { useEffect, useMemo, useState } from 'react';
import { App as AntApp } from 'antd';
import type { IDomEditor, IEditorConfig, IToolbarConfig } from '@wangeditor/editor';
import { Editor, Toolbar } from '@wangeditor/editor-for-react';
import '@wangeditor/editor/dist/css/style.css';
import { uploadImage } from '../api/marketing';
import { toApiError } from '../lib/useRemote';

export interface RichTextEditorProps {
  /** Id of the editor's box (the editable area inside it is wangEditor's own). */
  id?: string;
  /** HTML; what Form.Item gives a controlled field. */
  value?: string;
  onChange?: (html: string) => void;
  placeholder?: string;
  /** Height of the editable area in pixels. */
  height?: number;
}

type Insert = (src: string, alt: string, href: string) => void;
const IMAGE_TYPES = ['image/jpeg', 'image/png'];

/** The editor's HTML as stored: wangEditor's empty document (one empty paragraph) is ''. */
export function storedHtml(html: string | undefined): string {
  return !html || html === '<p><br></p>' ? '' : html;
}

// Left out: video (no hosting for it), images by outside URL (WeChat and the console's
// Content-Security-Policy take only our uploads), to-do lists and code blocks (WeChat articles
// do not render them), font families (phones ignore them) and full screen (it hides 保存).
const toolbarConfig: Partial<IToolbarConfig> = {
  excludeKeys: ['group-video', 'insertVideo', 'uploadVideo', 'insertImage', 'todo', 'codeBlock', 'fontFamily', 'fullScreen'],
};

/** A controlled rich-text field for antd forms. */
export function RichTextEditor({ id, value, onChange, placeholder = '请输入正文…', height = 360 }: RichTextEditorProps) {
  const { message } = AntApp.useApp();
  const [editor, setEditor] = useState<IDomEditor | null>(null);

  const editorConfig = useMemo<Partial<IEditorConfig>>(() => {
    const upload = (file: File, insert: Insert) => {
      if (!IMAGE_TYPES.includes(file.type)) {
        message.error('只能插入 JPG 或 PNG 格式的图片');
        return;
      }
      const hide = message.loading(`正在上传 ${file.name}…`, 0);
      void uploadImage(file)
        .then((uploaded) => insert(uploaded.url, file.name, ''))
        .catch((error: unknown) => message.error(toApiError(error).message))
        .finally(hide);
    };
    return {
      placeholder,
      MENU_CONF: {
        uploadImage: {
          allowedFileTypes: IMAGE_TYPES,
          // Pasted and dropped images.
          customUpload: upload,
          // The menu's own picker clicks its input with a synthetic event, which browsers may
          // ignore: a native click on our own input opens the file dialog.
          customBrowseAndUpload: (insert: Insert) => {
            const input = document.createElement('input');
            input.type = 'file';
            input.accept = IMAGE_TYPES.join(',');
            input.multiple = true;
            input.addEventListener('change', () => {
              for (const file of Array.from(input.files ?? [])) upload(file, insert);
            });
            input.click();
          },
        },
      },
    };
  }, [placeholder, message]);

  // wangEditor keeps DOM listeners: destroy the instance with the component.
  useEffect(
    () => () => {
      editor?.destroy();
    },
    [editor],
  );

  return (
    <div id={id} className="rich-text-editor" style={{ border: '1px solid #d9d9d9', borderRadius: 6, overflow: 'hidden' }}>
      <Toolbar editor={editor} defaultConfig={toolbarConfig} mode="default" style={{ borderBottom: '1px solid #d9d9d9' }} />
      <Editor
        defaultConfig={editorConfig}
        value={value ?? ''}
        onCreated={setEditor}
        // The editor's own HTML, untouched: handing it back changed would make it reset its content.
        onChange={(changed) => {
          const html = changed.getHtml();
          if (html !== value && storedHtml(html) !== storedHtml(value)) onChange?.(html);
        }}
        mode="default"
        style={{ height, overflowY: 'hidden' }}
      />
    </div>
  );
}
