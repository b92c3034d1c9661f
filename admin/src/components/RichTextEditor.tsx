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

/** The editor's HTML as stored: wangEditor's empty document (one empty paragraph) is ''. */
export function storedHtml(html: string | undefined): string {
  return !html || html === '<p><br></p>' ? '' : html;
}

// Video needs hosting we do not have, and full screen hides the form's save button.
const toolbarConfig: Partial<IToolbarConfig> = { excludeKeys: ['group-video', 'fullScreen', 'insertVideo', 'uploadVideo'] };

/** A controlled rich-text field for antd forms. */
export function RichTextEditor({ id, value, onChange, placeholder = '请输入正文…', height = 360 }: RichTextEditorProps) {
  const { message } = AntApp.useApp();
  const [editor, setEditor] = useState<IDomEditor | null>(null);

  const editorConfig = useMemo<Partial<IEditorConfig>>(
    () => ({
      placeholder,
      MENU_CONF: {
        uploadImage: {
          allowedFileTypes: ['image/jpeg', 'image/png'],
          customUpload: (file: File, insert: (src: string, alt: string, href: string) => void) => {
            const hide = message.loading(`正在上传 ${file.name}…`, 0);
            void uploadImage(file)
              .then((uploaded) => insert(uploaded.url, file.name, ''))
              .catch((error: unknown) => message.error(toApiError(error).message))
              .finally(hide);
          },
        },
      },
    }),
    [placeholder, message],
  );

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
