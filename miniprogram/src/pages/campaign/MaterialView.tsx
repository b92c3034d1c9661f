import { Image, RichText, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { absoluteUrl } from '../../api/marketing';
import { toast } from '../../utils/nav';

export interface MaterialContent {
  title: string;
  author: string;
  coverUrl: string | null;
  bodyHtml: string;
  attachments: { fileId: string; name: string; url: string }[];
}

/**
 * The body as the platform's rich text. The server sanitised it (allow-listed tags and
 * attributes); weapp's rich-text does not take page CSS for images, so they get an inline width.
 */
function bodyNodes(html: string): string {
  if (process.env.TARO_ENV === 'h5') return html;
  return html.replace(/<img\b/gi, '<img style="max-width:100%;height:auto;display:block;"');
}

async function openAttachment(url: string, name: string): Promise<void> {
  const full = absoluteUrl(url);
  if (process.env.TARO_ENV === 'h5') {
    window.open(full, '_blank', 'noopener');
    return;
  }
  try {
    const file = await Taro.downloadFile({ url: full });
    if (file.statusCode < 200 || file.statusCode >= 300) throw new Error(`HTTP ${file.statusCode}`);
    await Taro.openDocument({ filePath: file.tempFilePath, showMenu: true });
  } catch {
    toast(`无法打开附件「${name}」，请稍后重试`);
  }
}

/** Title, author, cover, rich body and attachments of a campaign's material. */
export function MaterialView({ material }: { material: MaterialContent }) {
  return (
    <View id='cp-material' className='card cp-material'>
      <Text id='cp-title' className='cp-title'>
        {material.title}
      </Text>
      {material.author ? (
        <Text id='cp-author' className='muted cp-author'>
          {material.author}
        </Text>
      ) : null}
      {material.coverUrl ? <Image id='cp-cover' className='cp-cover' src={absoluteUrl(material.coverUrl)} mode='widthFix' /> : null}
      <RichText id='cp-body' className='cp-body' nodes={bodyNodes(material.bodyHtml)} />
      {material.attachments.length > 0 ? (
        <View id='cp-attachments' className='cp-attachments'>
          <Text className='cp-attachments__title'>附件</Text>
          {material.attachments.map((attachment) => (
            <Text
              key={attachment.fileId}
              className='link cp-attachment'
              onClick={() => void openAttachment(attachment.url, attachment.name)}
            >
              {attachment.name}
            </Text>
          ))}
        </View>
      ) : null}
    </View>
  );
}
