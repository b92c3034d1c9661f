import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Empty, Flex, Form, Input, Popconfirm, Radio, Row, Space, Typography } from 'antd';
import { MENU_RULES, menuButtonTypeLabels, menuButtonTypes, menuSchema, type Menu, type MenuButtonType, type MenuInput } from '@qiao/shared';
import { ApiError } from '../../api/client';
import { getMenu, publishMenu, saveMenuDraft } from '../../api/official-account';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { toApiError, useRemote } from '../../lib/useRemote';

type Item = { name: string; type: MenuButtonType | null; key: string; url: string; appid: string; pagepath: string };
type Top = Item & { subButtons: Item[] };
/** What is selected: a top button, or one of its sub-buttons. */
type Selection = { top: number; sub: number | null } | null;

const blank = (name: string): Item => ({ name, type: 'click', key: '', url: '', appid: '', pagepath: '' });

function fromMenu(menu: Menu | null): Top[] {
  return (menu?.buttons ?? []).map((button) => ({ ...button, subButtons: button.subButtons.map((sub) => ({ ...sub })) }));
}

function toInput(buttons: Top[]): MenuInput {
  return { buttons: buttons.map((button) => ({ ...button, subButtons: button.subButtons.map((sub) => ({ ...sub })) })) };
}

/** The schema's complaints, each once, in Chinese (the same rules the server applies). */
function problemsOf(buttons: Top[]): string[] {
  const result = menuSchema.safeParse(toInput(buttons));
  return result.success ? [] : [...new Set(result.error.issues.map((issue) => issue.message))];
}

/** How WeChat shows it: the bar at the bottom of the chat, sub-buttons above the selected one. */
function Preview({ buttons, selection, onSelect }: { buttons: Top[]; selection: Selection; onSelect: (selection: Selection) => void }) {
  const open = selection ? buttons[selection.top] : undefined;
  return (
    <div id="menu-preview" style={{ width: 300, border: '1px solid #d9d9d9', borderRadius: 16, overflow: 'hidden', background: '#ededed' }}>
      <div style={{ padding: '10px 0', textAlign: 'center', background: '#f7f7f7', fontWeight: 600 }}>公众号</div>
      <div style={{ height: 260, position: 'relative' }}>
        {open && open.subButtons.length > 0 ? (
          <div
            style={{
              position: 'absolute',
              bottom: 4,
              left: `${(selection!.top * 100) / Math.max(1, buttons.length)}%`,
              width: `${100 / Math.max(1, buttons.length)}%`,
              background: '#fff',
              border: '1px solid #ddd',
              borderRadius: 6,
            }}
          >
            {open.subButtons.map((sub, index) => (
              <div
                key={index}
                className="menu-preview-sub"
                onClick={() => onSelect({ top: selection!.top, sub: index })}
                style={{ padding: '8px 4px', textAlign: 'center', borderTop: index ? '1px solid #eee' : undefined, cursor: 'pointer', color: selection?.sub === index ? '#1677ff' : undefined }}
              >
                {sub.name || '（未命名）'}
              </div>
            ))}
          </div>
        ) : null}
      </div>
      <div style={{ display: 'flex', background: '#fafafa', borderTop: '1px solid #ddd' }}>
        {buttons.map((button, index) => (
          <div
            key={index}
            className="menu-preview-button"
            onClick={() => onSelect({ top: index, sub: null })}
            style={{ flex: 1, padding: '10px 4px', textAlign: 'center', borderLeft: index ? '1px solid #ddd' : undefined, cursor: 'pointer', color: selection?.top === index && selection.sub === null ? '#1677ff' : undefined }}
          >
            {button.subButtons.length > 0 ? '☰ ' : ''}
            {button.name || '（未命名）'}
          </div>
        ))}
      </div>
    </div>
  );
}

function ActionFields({ item, onChange }: { item: Item; onChange: (patch: Partial<Item>) => void }) {
  return (
    <>
      <Form.Item label="菜单动作">
        <Radio.Group id="menu-type" value={item.type} onChange={(event) => onChange({ type: event.target.value as MenuButtonType })}>
          {menuButtonTypes.map((type) => (
            <Radio key={type} value={type} id={`menu-type-${type}`}>
              {menuButtonTypeLabels[type]}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      {item.type === 'click' ? (
        <Form.Item label="关键词" extra="点击后公众号收到该关键词，按“自动回复”中“菜单点击”规则回复。">
          <Input id="menu-key" value={item.key} onChange={(event) => onChange({ key: event.target.value })} placeholder="例如 MENU_HOTLINE" />
        </Form.Item>
      ) : null}
      {item.type === 'view' || item.type === 'miniprogram' ? (
        <Form.Item label={item.type === 'view' ? '网页链接' : '备用网页链接'} extra={item.type === 'miniprogram' ? '不支持小程序的旧版微信打开此网页。' : undefined}>
          <Input id="menu-url" value={item.url} onChange={(event) => onChange({ url: event.target.value })} placeholder="https://" />
        </Form.Item>
      ) : null}
      {item.type === 'miniprogram' ? (
        <>
          <Form.Item label="小程序 AppID">
            <Input id="menu-appid" value={item.appid} onChange={(event) => onChange({ appid: event.target.value })} />
          </Form.Item>
          <Form.Item label="小程序页面路径">
            <Input id="menu-pagepath" value={item.pagepath} onChange={(event) => onChange({ pagepath: event.target.value })} placeholder="pages/index/index" />
          </Form.Item>
        </>
      ) : null}
    </>
  );
}

/** 自定义菜单: edit up to 3 buttons with up to 5 sub-buttons, preview, publish to WeChat. */
export default function MenuPage() {
  useDocumentTitle('自定义菜单');
  const { message } = AntApp.useApp();
  const remote = useRemote((signal) => getMenu(signal), []);
  const [buttons, setButtons] = useState<Top[]>([]);
  const [selection, setSelection] = useState<Selection>(null);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!remote.data) return;
    setButtons(fromMenu(remote.data.draft ?? remote.data.published));
    setSelection(null);
  }, [remote.data]);

  const problems = problemsOf(buttons);
  const top = selection ? buttons[selection.top] : undefined;
  const item: Item | undefined = top && selection?.sub !== null && selection ? top.subButtons[selection.sub] : top;

  const patch = (change: Partial<Item>) => {
    if (!selection) return;
    setButtons((current) =>
      current.map((button, index) => {
        if (index !== selection.top) return button;
        if (selection.sub === null) return { ...button, ...change };
        return { ...button, subButtons: button.subButtons.map((sub, subIndex) => (subIndex === selection.sub ? { ...sub, ...change } : sub)) };
      }),
    );
  };
  const addTop = () => {
    setButtons((current) => [...current, { ...blank('菜单'), subButtons: [] }]);
    setSelection({ top: buttons.length, sub: null });
  };
  const addSub = () => {
    if (!selection) return;
    const count = buttons[selection.top]!.subButtons.length;
    setButtons((current) => current.map((button, index) => (index === selection.top ? { ...button, subButtons: [...button.subButtons, blank('子菜单')] } : button)));
    setSelection({ top: selection.top, sub: count });
  };
  const remove = () => {
    if (!selection) return;
    setButtons((current) =>
      selection.sub === null
        ? current.filter((_, index) => index !== selection.top)
        : current.map((button, index) => (index === selection.top ? { ...button, subButtons: button.subButtons.filter((_, sub) => sub !== selection.sub) } : button)),
    );
    setSelection(null);
  };

  async function submit(kind: 'save' | 'publish'): Promise<void> {
    if (problems.length > 0) return;
    const parsed = menuSchema.parse(toInput(buttons));
    setBusy(kind);
    setFailure(null);
    try {
      const state = await (kind === 'save' ? saveMenuDraft(parsed) : publishMenu(parsed));
      remote.setData(state);
      message.success(kind === 'save' ? '草稿已保存' : '菜单已发布，关注者几分钟内可见');
    } catch (error) {
      setFailure(toApiError(error));
    } finally {
      setBusy(null);
    }
  }

  const published = remote.data?.publishedAt;
  return (
    <div id="menu-page">
      <PageHeading
        area="营销"
        title="自定义菜单"
        extra={
          <>
            <Button id="menu-save" loading={busy === 'save'} disabled={problems.length > 0} onClick={() => void submit('save')}>
              保存草稿
            </Button>
            <Popconfirm title="发布到公众号？" description="发布后将替换关注者看到的菜单。" okText="发布" cancelText="取消" onConfirm={() => submit('publish')} okButtonProps={{ id: 'menu-publish-confirm' }}>
              <Button id="menu-publish" type="primary" loading={busy === 'publish'} disabled={problems.length > 0}>
                发布
              </Button>
            </Popconfirm>
          </>
        }
      />
      <ErrorAlert error={remote.error} onRetry={remote.reload} />
      <Typography.Paragraph type="secondary" id="menu-published-at">
        {published ? `当前菜单发布于 ${formatDateTime(published)}。` : '尚未发布菜单：关注者看不到菜单，默认回复会直接给出自助服务链接。'}
        最多 {MENU_RULES.buttons} 个一级菜单，每个最多 {MENU_RULES.subButtons} 个子菜单。
      </Typography.Paragraph>
      {failure ? <Alert id="menu-failure" type="error" showIcon message={failure.message} description={failure.details ? Object.values(failure.details).join('；') : undefined} style={{ marginBottom: 16 }} /> : null}
      {problems.length > 0 && buttons.length > 0 ? (
        <Alert id="menu-problems" type="warning" showIcon message="菜单不符合微信的规则" description={<ul style={{ margin: 0, paddingLeft: 20 }}>{problems.map((problem) => <li key={problem}>{problem}</li>)}</ul>} style={{ marginBottom: 16 }} />
      ) : null}
      <Row gutter={24}>
        <Col flex="320px">
          <Preview buttons={buttons} selection={selection} onSelect={setSelection} />
          <Space style={{ marginTop: 12 }}>
            <Button id="menu-add" disabled={buttons.length >= MENU_RULES.buttons} onClick={addTop}>
              添加菜单
            </Button>
            <Button id="menu-add-sub" disabled={!selection || (buttons[selection.top]?.subButtons.length ?? 0) >= MENU_RULES.subButtons} onClick={addSub}>
              添加子菜单
            </Button>
          </Space>
        </Col>
        <Col flex="auto">
          <Card title={item ? (selection?.sub === null ? '一级菜单' : '子菜单') : '菜单设置'} size="small">
            {item ? (
              <Form layout="vertical">
                <Form.Item label="名称" extra={selection?.sub === null ? '最多 4 个汉字（16 个字节）' : '最多约 20 个汉字（60 个字节）'}>
                  <Input id="menu-name" value={item.name} onChange={(event) => patch({ name: event.target.value })} />
                </Form.Item>
                {selection?.sub === null && top && top.subButtons.length > 0 ? (
                  <Typography.Paragraph type="secondary">有子菜单时，点击一级菜单只展开子菜单。</Typography.Paragraph>
                ) : (
                  <ActionFields item={item} onChange={patch} />
                )}
                <Flex justify="flex-end">
                  <Button id="menu-remove" danger onClick={remove}>
                    删除
                  </Button>
                </Flex>
              </Form>
            ) : (
              <Empty description={buttons.length === 0 ? '还没有菜单，点击“添加菜单”开始' : '在左侧预览中点击一个菜单进行编辑'} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
