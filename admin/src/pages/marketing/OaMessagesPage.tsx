// 公众号消息: followers' conversations with the Official Account — newest activity first, the
// intent hint (意向), search by name or message; the thread with replies and 转为线索 beside it.
import { useState } from 'react';
import { Badge, Card, Checkbox, Col, Empty, List, Row, Space, Tag, Typography } from 'antd';
import type { OaConversation } from '@qiao/shared';
import { listConversations } from '../../api/oa-messages';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ListFilters, SearchInput } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { formatShortDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useListParams } from '../../lib/useListParams';
import { useRemote } from '../../lib/useRemote';
import { OaMessagesThread } from './OaMessagesThread';

function ConversationItem({ item, selected, onOpen }: { item: OaConversation; selected: boolean; onOpen: () => void }) {
  return (
    <List.Item
      className="oa-conversation"
      data-id={item.wechatUserId}
      onClick={onOpen}
      style={{ cursor: 'pointer', paddingInline: 12, background: selected ? '#e6f4ff' : undefined }}
    >
      <List.Item.Meta
        title={
          <Space size={4} wrap>
            <Badge count={item.unread} size="small" offset={[6, 0]}>
              <span>{item.displayName}</span>
            </Badge>
            {item.intent ? (
              <Tag color="orange" className="oa-intent" style={{ marginInlineStart: 8 }}>
                意向
              </Tag>
            ) : null}
            {item.lead ? <Tag color="blue">已转线索</Tag> : null}
          </Space>
        }
        description={
          <Typography.Text type="secondary" ellipsis style={{ maxWidth: '100%' }}>
            {item.lastMessage.direction === 'out' ? '[已回复] ' : ''}
            {item.lastMessage.content}
          </Typography.Text>
        }
      />
      <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
        {formatShortDateTime(item.lastMessage.at)}
      </Typography.Text>
    </List.Item>
  );
}

export default function OaMessagesPage() {
  useDocumentTitle('公众号消息');
  const { page, pageSize, q, filters, update } = useListParams(['intent'] as const);
  const intent = filters.intent === '1';
  // Key paging: the next page starts after the one shown (its nextCursor), remembered per page so
  // that going back a page and forward again reads by key too; a jump reads by page number.
  const [cursors, setCursors] = useState<Record<number, string>>({});
  const cursor = page > 1 ? cursors[page] : undefined;
  const list = useRemote((signal) => listConversations({ q: q || undefined, intent, page, pageSize, cursor }, signal), [q, intent, page, pageSize, cursor]);
  const [open, setOpen] = useState<string | null>(null);
  const refilter = (patch: { q?: string; intent?: string }) => {
    setCursors({});
    update(patch);
  };
  const toPage = (next: number) => {
    const nextCursor = list.data?.nextCursor;
    if (next === page + 1 && nextCursor) setCursors((known) => ({ ...known, [next]: nextCursor }));
    update({ page: next });
  };

  return (
    <div id="oa-messages-page">
      <PageHeading area="营销" title="公众号消息" />
      <Row gutter={16}>
        <Col xs={24} lg={9}>
          <Card>
            <ListFilters>
              <SearchInput id="oa-conversations-search" value={q} placeholder="粉丝姓名、消息内容" width={220} onSearch={(value) => refilter({ q: value })} />
              <Checkbox id="oa-conversations-intent" checked={intent} onChange={(event) => refilter({ intent: event.target.checked ? '1' : '' })}>
                只看有意向
              </Checkbox>
            </ListFilters>
            <ErrorAlert error={list.error} onRetry={list.reload} />
            <List
              id="oa-conversations"
              loading={list.loading}
              dataSource={list.data?.items ?? []}
              locale={{ emptyText: <Empty description={q || intent ? '没有符合条件的会话' : '还没有粉丝给公众号发消息'} /> }}
              pagination={
                list.data && list.data.total > pageSize
                  ? { current: page, pageSize, total: list.data.total, size: 'small', showSizeChanger: false, onChange: toPage }
                  : false
              }
              renderItem={(item) => <ConversationItem item={item} selected={item.wechatUserId === open} onOpen={() => setOpen(item.wechatUserId)} />}
            />
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          {open ? (
            <OaMessagesThread key={open} wechatUserId={open} onChanged={list.reload} />
          ) : (
            <Card>
              <Empty description="选择左侧的会话查看消息" />
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}
