// Beside the share tree: the selected person's figures and the path that reached them.
import { Button, Card, Descriptions, Empty, Flex, Space, Tag, Typography } from 'antd';
import type { ShareTreeNode } from '@qiao/shared';
import { kindColors, kindLabels, personName } from './ShareTreeChart';
import { pathTo, type TreeState } from './ShareTreeModel';

export interface ShareTreePanelProps {
  state: TreeState;
  selected: string | null;
  onSelect: (token: string) => void;
}

function KindTag({ node }: { node: ShareTreeNode }) {
  return <Tag color={kindColors[node.kind]}>{kindLabels[node.kind] ?? node.kind}</Tag>;
}

export function ShareTreePanel({ state, selected, onSelect }: ShareTreePanelProps) {
  const node = selected ? state.nodes.get(selected) : undefined;
  const matches = [...state.matches].map((token) => state.nodes.get(token)).filter((one): one is ShareTreeNode => Boolean(one));
  return (
    <Card size="small" title="节点详情" id="share-tree-panel">
      {matches.length > 1 ? (
        <div style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">找到 {matches.length} 人：</Typography.Text>
          <Space size={[4, 4]} wrap>
            {matches.map((one) => (
              <Button key={one.token} size="small" type={one.token === selected ? 'primary' : 'default'} onClick={() => onSelect(one.token)}>
                {personName(one)}
              </Button>
            ))}
          </Space>
        </div>
      ) : null}
      {node ? (
        <Flex vertical gap={12}>
          <div>
            <Typography.Text strong id="share-tree-selected-name" style={{ fontSize: 16 }}>
              {personName(node)}
            </Typography.Text>{' '}
            <KindTag node={node} />
          </div>
          <div>
            <Typography.Text type="secondary">传播路径：</Typography.Text>
            <Typography.Text id="share-tree-path">
              {pathTo(state, node.token)
                .map((one) => personName(one))
                .join(' → ')}
            </Typography.Text>
          </div>
          <Descriptions size="small" column={2} bordered title="本人" styles={{ label: { width: 72 } }}>
            <Descriptions.Item label="层级">第 {node.depth} 层</Descriptions.Item>
            <Descriptions.Item label="下级">{node.childCount} 人</Descriptions.Item>
            <Descriptions.Item label="阅读">{node.views}</Descriptions.Item>
            <Descriptions.Item label="转发">{node.shares}</Descriptions.Item>
            <Descriptions.Item label="独立访客">{node.uniqueVisitors}</Descriptions.Item>
            <Descriptions.Item label="意向">{node.intents}</Descriptions.Item>
            <Descriptions.Item label="线索">{node.leads}</Descriptions.Item>
          </Descriptions>
          <Descriptions size="small" column={2} bordered title="含全部下级" styles={{ label: { width: 72 } }} id="share-tree-subtree">
            <Descriptions.Item label="人数">{node.subtree.nodes}</Descriptions.Item>
            <Descriptions.Item label="阅读">{node.subtree.views}</Descriptions.Item>
            <Descriptions.Item label="独立访客">{node.subtree.uniqueVisitors}</Descriptions.Item>
            <Descriptions.Item label="意向">{node.subtree.intents}</Descriptions.Item>
            <Descriptions.Item label="线索">{node.subtree.leads}</Descriptions.Item>
          </Descriptions>
        </Flex>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="点击图中的人查看其阅读、访客、意向与线索" />
      )}
    </Card>
  );
}
