// 传播路径: a campaign's share tree, loaded lazily (roots first, children on click, a search
// brings the path to a person), with the selected person's figures and the campaign's 营销达人.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { App as AntApp, Button, Card, Col, Empty, Flex, Row, Spin, Statistic, Tag, Typography } from 'antd';
import { FunnelPlotOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ShareTree, ShareTreeNode } from '@qiao/shared';
import { getCampaignBrief, getShareTree, listSpreaders } from '../../api/spread';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ListFilters, SearchInput } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { toApiError, useRemote } from '../../lib/useRemote';
import { CAMPAIGN_NODE, ShareTreeChart, kindColors, kindLabels } from './ShareTreeChart';
import { MORE_PREFIX, ROOT, applySearch, clearSearch, emptyTree, mergeNodes, needsChildren, showMore, toggleExpanded, type TreeState } from './ShareTreeModel';
import { ShareTreePanel } from './ShareTreePanel';
import { CompactSpreaders } from './SpreadersTable';
import { PeriodPicker, periodParams } from './ShareTreePeriod';

export default function ShareTreePage() {
  const { id = '' } = useParams();
  const { message } = AntApp.useApp();
  const [search, setSearch] = useSearchParams();
  const q = search.get('q') ?? '';
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  const campaign = useRemote((signal) => getCampaignBrief(id, signal), [id]);
  useDocumentTitle(campaign.data ? `传播路径 - ${campaign.data.name}` : '传播路径');
  const spreaders = useRemote((signal) => listSpreaders({ campaignId: id, pageSize: 10 }, signal), [id]);

  const [tree, setTree] = useState<TreeState>(emptyTree);
  const [stats, setStats] = useState<ShareTree['stats'] | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ReturnType<typeof toApiError> | null>(null);
  const [searching, setSearching] = useState(false);
  const [expanding, setExpanding] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [focus, setFocus] = useState(0);

  // Bumped each time a fresh set of roots is in place: the search then runs on it.
  const [rootsLoaded, setRootsLoaded] = useState(0);
  // Children answered for an earlier campaign or period are dropped, not merged.
  const generation = useRef(0);

  // The roots (and the stats) whenever the campaign or the period changes.
  useEffect(() => {
    const controller = new AbortController();
    generation.current += 1;
    setLoading(true);
    setError(null);
    setSelected(null);
    getShareTree(id, periodParams(from, to), controller.signal).then(
      (roots) => {
        if (controller.signal.aborted) return;
        setTree(mergeNodes(emptyTree(), roots.nodes, ROOT));
        setStats(roots.stats);
        setLoading(false);
        setRootsLoaded((value) => value + 1);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(toApiError(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [id, from, to, version]);

  // A search adds the path to each person found to what is drawn (expansions are kept).
  useEffect(() => {
    if (rootsLoaded === 0) return undefined;
    if (!q) {
      setTree((current) => clearSearch(current));
      return undefined;
    }
    const controller = new AbortController();
    setSearching(true);
    getShareTree(id, { ...periodParams(from, to), q }, controller.signal).then(
      (found) => {
        if (controller.signal.aborted) return;
        const words = q.toLowerCase();
        const isMatch = (node: ShareTreeNode) => node.name.toLowerCase().includes(words);
        setTree((current) => applySearch(current, found.nodes, isMatch));
        setSearching(false);
        // The first match by the same rule applySearch uses.
        const first = found.nodes.find(isMatch) ?? found.nodes.find((node) => !found.nodes.some((other) => other.parent === node.token));
        setSelected(first?.token ?? null);
        if (first) setFocus((value) => value + 1);
        if (!first) message.info(`没有找到“${q}”`);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setSearching(false);
        message.error(toApiError(failure).message);
      },
    );
    return () => controller.abort();
    // from/to/id changes reload the roots first, which bumps rootsLoaded.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, rootsLoaded, message]);

  const setParams = (patch: Record<string, string>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(patch)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (next.toString() !== search.toString()) setSearch(next);
  };

  const loadChildren = useCallback(
    async (parent: string) => {
      setExpanding(parent);
      const asked = generation.current;
      try {
        const answer = await getShareTree(id, { ...periodParams(from, to), parent });
        if (asked === generation.current) setTree((current) => mergeNodes(current, answer.nodes, parent));
      } catch (failure) {
        message.error(toApiError(failure).message);
        throw failure;
      } finally {
        setExpanding(null);
      }
    },
    [id, from, to, message],
  );

  const onNodeClick = (nodeId: string) => {
    if (expanding) return;
    if (nodeId === CAMPAIGN_NODE) {
      setTree((current) => toggleExpanded(current, ROOT));
      return;
    }
    if (nodeId.startsWith(MORE_PREFIX)) {
      const parent = nodeId.slice(MORE_PREFIX.length);
      if (parent !== ROOT && needsChildren(tree, parent)) void loadChildren(parent).catch(() => undefined);
      else setTree((current) => showMore(current, parent));
      return;
    }
    setSelected(nodeId);
    const node = tree.nodes.get(nodeId);
    if (!node || node.childCount === 0) return;
    if (tree.expanded.has(nodeId) || !needsChildren(tree, nodeId)) {
      setTree((current) => toggleExpanded(current, nodeId));
      return;
    }
    loadChildren(nodeId).then(
      () => setTree((current) => (current.expanded.has(nodeId) ? current : toggleExpanded(current, nodeId))),
      () => undefined,
    );
  };

  const name = campaign.data?.name ?? '营销方案';
  const empty = !loading && !error && tree.nodes.size === 0;
  return (
    <div id="share-tree-page">
      <PageHeading
        area="营销"
        title={`传播路径 · ${name}`}
        extra={
          <>
            <Link to="/marketing/campaigns">返回营销方案</Link>
            <Link to={`/marketing/campaigns/${encodeURIComponent(id)}/funnel`}>
              <Button icon={<FunnelPlotOutlined />}>效果漏斗</Button>
            </Link>
          </>
        }
      />
      <ErrorAlert error={campaign.error} onRetry={campaign.reload} title="营销方案加载失败" />
      <Card style={{ marginBottom: 16 }}>
        <ListFilters>
          <SearchInput
            id="share-tree-search"
            value={q}
            placeholder="搜索传播人姓名"
            width={240}
            onSearch={(value) => (value === q ? setVersion((current) => current + 1) : setParams({ q: value }))}
          />
          <PeriodPicker id="share-tree" from={from} to={to} placeholder={['访问开始日期', '访问结束日期']} onChange={(start, end) => setParams({ from: start, to: end })} />
          <Button icon={<ReloadOutlined />} onClick={() => setVersion((value) => value + 1)}>
            刷新
          </Button>
        </ListFilters>
        <Row gutter={[16, 16]} id="share-tree-stats">
          <Col xs={12} md={4}>
            <Statistic title="传播人数" value={stats?.nodes ?? '—'} loading={loading} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="最大层级" value={stats?.maxDepth ?? '—'} loading={loading} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="最大扇出" value={stats?.maxFanout ?? '—'} loading={loading} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="阅读次数" value={stats?.views ?? '—'} loading={loading} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="独立访客" value={stats?.uniqueVisitors ?? '—'} loading={loading} />
          </Col>
        </Row>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={17}>
          <Card
            size="small"
            title={
              <Flex gap={8} align="center" wrap>
                <span>传播树</span>
                {Object.entries(kindLabels).map(([kind, label]) => (
                  <Tag key={kind} color={kindColors[kind]}>
                    {label}
                  </Tag>
                ))}
                <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
                  点击节点展开下级；滚轮缩放，拖动平移；数字为含下级的 阅读 · 访客 · 意向 · 线索
                </Typography.Text>
              </Flex>
            }
            extra={searching || expanding ? <Spin size="small" /> : null}
          >
            <ErrorAlert error={error} onRetry={() => setVersion((value) => value + 1)} title="传播树加载失败" />
            {loading ? (
              <Flex justify="center" style={{ padding: 80 }}>
                <Spin tip="正在加载传播树">
                  <div style={{ width: 120 }} />
                </Spin>
              </Flex>
            ) : empty ? (
              <Empty
                className="share-tree-empty"
                description={from || to ? '这段时间内没有人打开该方案的链接' : '还没有人打开该方案的链接，方案发出后这里会显示传播路径'}
              />
            ) : error ? null : (
              <ShareTreeChart state={tree} campaignName={name} selected={selected} focus={focus} onNodeClick={onNodeClick} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Flex vertical gap={16}>
            <ShareTreePanel state={tree} selected={selected} onSelect={setSelected} />
            <Card
              size="small"
              title="本方案营销达人"
              extra={<Link to={`/marketing/spreaders?campaignId=${encodeURIComponent(id)}`}>全部</Link>}
            >
              <CompactSpreaders list={spreaders} />
            </Card>
          </Flex>
        </Col>
      </Row>
    </div>
  );
}
