// One conversation of 公众号消息: who the follower is, the thread, the reply box (only inside
// WeChat's 48-hour window) and 转为线索.
import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Empty, Flex, Input, Space, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { OA_REPLY_MAX_CHARS, OA_SERVICE_WINDOW_HOURS, leadStatusLabels, type Lead, type LeadInput, type LeadStatus, type OaConversationDetail, type OaMessageItem } from '@qiao/shared';
import { getConversation, listConversationMessages, markConversationLead, replyToConversation } from '../../api/oa-messages';
import { useSession } from '../../auth/useSession';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/format';
import { toApiError, useRemote } from '../../lib/useRemote';
import { OaMakeLeadModal } from './OaMessagesMakeLead';

/** Who may create leads (POST /leads): marketers read conversations and reply, but make no leads. */
const LEAD_MAKERS = ['admin', 'manager', 'sales'];
const PAGE = 30;

/** The follower's words for the new lead's notes: their latest messages, oldest first. */
function notesOf(messages: OaMessageItem[]): string {
  const text = messages
    .filter((m) => m.direction === 'in')
    .slice(-5)
    .map((m) => m.content)
    .join('\n');
  return text.length > 1000 ? text.slice(text.length - 1000) : text;
}

function leadInitial(detail: OaConversationDetail, messages: OaMessageItem[]): Partial<LeadInput> {
  return {
    name: detail.contact?.name ?? detail.displayName,
    phone: detail.contact && !detail.contact.phoneMasked ? detail.contact.phone : '',
    company: detail.customer?.name ?? '',
    notes: notesOf(messages),
    wechatUserId: detail.wechatUserId,
  };
}

function Bubble({ message }: { message: OaMessageItem }) {
  const out = message.direction === 'out';
  return (
    <Flex justify={out ? 'flex-end' : 'flex-start'} className={`oa-message oa-message-${message.direction}`}>
      <div style={{ maxWidth: '75%' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {out ? `${message.staffName ?? '客服'} · ` : ''}
          {formatDateTime(message.at)}
          {message.intent ? (
            <Tag color="orange" style={{ marginInlineStart: 6 }}>
              意向
            </Tag>
          ) : null}
        </Typography.Text>
        <div
          style={{
            whiteSpace: 'pre-wrap',
            wordBreak: 'break-word',
            padding: '6px 10px',
            borderRadius: 6,
            background: out ? '#e6f4ff' : '#f5f5f5',
          }}
        >
          {message.content}
        </div>
      </div>
    </Flex>
  );
}

export function OaMessagesThread({ wechatUserId, onChanged }: { wechatUserId: string; onChanged: () => void }) {
  const { message } = AntApp.useApp();
  const role = useSession()?.user.role;
  // Older messages loaded by key (each page's nextCursor), kept above the newest page.
  const [older, setOlder] = useState<{ items: OaMessageItem[]; cursor: string | null | undefined; pages: number }>({ items: [], cursor: undefined, pages: 1 });
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [makingLead, setMakingLead] = useState(false);
  const detail = useRemote((signal) => getConversation(wechatUserId, signal), [wechatUserId]);
  const thread = useRemote((signal) => listConversationMessages(wechatUserId, { page: 1, pageSize: PAGE }, signal), [wechatUserId]);
  // The newest page is read again after a reply: a message may then be in both, shown once.
  const messages = useMemo(() => {
    const newest = thread.data?.items ?? [];
    const shown = new Set(newest.map((m) => m.id));
    return [...older.items.filter((m) => !shown.has(m.id)), ...newest];
  }, [thread.data, older.items]);
  const olderCursor = older.pages > 1 ? older.cursor : thread.data?.nextCursor;
  const loadOlder = async () => {
    if (!olderCursor) return;
    setLoadingOlder(true);
    try {
      const page = await listConversationMessages(wechatUserId, { page: older.pages + 1, pageSize: PAGE, cursor: olderCursor });
      setOlder((known) => ({ items: [...page.items, ...known.items], cursor: page.nextCursor, pages: known.pages + 1 }));
    } catch (error) {
      message.error(toApiError(error).message);
    } finally {
      setLoadingOlder(false);
    }
  };
  const conversation = detail.data;
  const initial = useMemo(() => (conversation ? leadInitial(conversation, messages) : undefined), [conversation, messages]);

  const send = async () => {
    const body = text.trim();
    if (!body) return;
    setSending(true);
    try {
      await replyToConversation(wechatUserId, body);
      setText('');
      thread.reload();
      onChanged();
    } catch (error) {
      message.error(toApiError(error).message);
      detail.reload();
    } finally {
      setSending(false);
    }
  };

  const leadSaved = async (lead: Lead) => {
    setMakingLead(false);
    try {
      detail.setData(await markConversationLead(wechatUserId, lead.id));
      message.success('已转为线索');
    } catch (error) {
      message.error(toApiError(error).message);
    }
    onChanged();
  };

  if (detail.error) return <ErrorAlert error={detail.error} onRetry={detail.reload} />;
  if (!conversation) return <Spin style={{ display: 'block', margin: '48px auto' }} />;

  const lead = conversation.lead;
  const canReply = conversation.inServiceWindow;
  return (
    <Card
      id="oa-thread"
      title={
        <Space wrap>
          <span id="oa-thread-name">{conversation.displayName}</span>
          {conversation.intent ? <Tag color="orange">意向</Tag> : null}
          {conversation.subscribed ? null : <Tag>未关注</Tag>}
        </Space>
      }
      extra={
        lead ? (
          <Link id="oa-lead-link" to={`/sales/leads?q=${encodeURIComponent(lead.name.replace(/（.*）$/, ''))}`}>
            已转线索：{lead.name}（{leadStatusLabels[lead.status as LeadStatus] ?? lead.status}）
          </Link>
        ) : role && LEAD_MAKERS.includes(role) ? (
          <Button id="oa-make-lead" type="primary" onClick={() => setMakingLead(true)}>
            转为线索
          </Button>
        ) : null
      }
    >
      {conversation.contact ? (
        <Typography.Paragraph type="secondary" id="oa-thread-contact">
          已验证联系人：{conversation.contact.name} {conversation.contact.phone}
          {conversation.customer ? ` · ${conversation.customer.name}` : ''}
        </Typography.Paragraph>
      ) : (
        <Typography.Paragraph type="secondary">尚未验证为客户联系人</Typography.Paragraph>
      )}
      <ErrorAlert error={thread.error} onRetry={thread.reload} />
      <div id="oa-messages" style={{ maxHeight: 460, overflowY: 'auto', display: 'flex', flexDirection: 'column', gap: 12, padding: '4px 0' }}>
        {olderCursor ? (
          <Button type="link" size="small" loading={loadingOlder} onClick={() => void loadOlder()}>
            加载更早的消息
          </Button>
        ) : null}
        {messages.length === 0 && !thread.loading ? <Empty description="暂无消息" /> : messages.map((m) => <Bubble key={m.id} message={m} />)}
      </div>
      <div style={{ marginTop: 16 }}>
        {canReply ? null : (
          <Alert
            id="oa-reply-hint"
            type="info"
            showIcon
            style={{ marginBottom: 8 }}
            message={`粉丝最近 ${OA_SERVICE_WINDOW_HOURS} 小时内没有给公众号发消息，微信不允许发送客服消息；对方再次发消息后即可回复。`}
          />
        )}
        <Input.TextArea
          id="oa-reply-text"
          rows={3}
          maxLength={OA_REPLY_MAX_CHARS}
          showCount
          disabled={!canReply}
          placeholder={canReply ? '回复内容将以客服消息发送给粉丝' : '当前不能回复'}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <Flex justify="flex-end" style={{ marginTop: 8 }}>
          <Button id="oa-reply-send" type="primary" disabled={!canReply || !text.trim()} loading={sending} onClick={() => void send()}>
            发送
          </Button>
        </Flex>
      </div>
      <OaMakeLeadModal open={makingLead} initial={initial} onClose={() => setMakingLead(false)} onSaved={(saved) => void leadSaved(saved)} />
    </Card>
  );
}
