import { Link, useNavigate, useParams } from 'react-router-dom';
import { Button, Card, Col, Descriptions, Empty, Flex, Rate, Result, Row, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, PhoneOutlined, ReloadOutlined } from '@ant-design/icons';
import { warrantyState, type FeedbackDetail, type TimelineKind } from '@qiao/shared';
import { getFeedback } from '../../api/feedbacks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FeedbackStatusTag, FeedbackTypeTag, NoticeMissedTag, OverdueTag, WarrantyTag, WorkOrderStatusTag } from '../../components/StatusTags';
import { formatDate, formatDateTime, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useRemote } from '../../lib/useRemote';
import { FeedbackActions } from './FeedbackActions';
import { PhotoGrid, VisitCard } from './VisitCard';

const timelineColors: Record<TimelineKind, string> = {
  submitted: 'gray',
  dispatched: 'blue',
  accepted: 'blue',
  rejected: 'red',
  transferred: 'orange',
  visit: 'blue',
  completed: 'green',
  undispatched: 'orange',
  rated: 'green',
};

function Phone({ value }: { value: string }) {
  if (!value) return <>—</>;
  return (
    <Space size={4}>
      <PhoneOutlined />
      <Typography.Text copyable={{ tooltips: ['复制', '已复制'] }}>{value}</Typography.Text>
    </Space>
  );
}

function RequestCard({ feedback }: { feedback: FeedbackDetail }) {
  const { product } = feedback;
  return (
    <Card title="服务请求" size="small">
      <Descriptions column={2} size="small" className="feedback-info">
        <Descriptions.Item label="客户">
          <span>
            {feedback.customer.name}
            {feedback.customer.code ? <Typography.Text type="secondary"> {feedback.customer.code}</Typography.Text> : null}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label="地区">{orDash(feedback.region)}</Descriptions.Item>
        <Descriptions.Item label="联系人">{feedback.contact.name}</Descriptions.Item>
        <Descriptions.Item label="联系电话">
          <Phone value={feedback.contactPhone || feedback.contact.phone} />
        </Descriptions.Item>
        <Descriptions.Item label="服务地址" span={2}>
          {orDash(feedback.address)}
        </Descriptions.Item>
        <Descriptions.Item label="设备" span={2}>
          {product ? (
            <Space wrap size={[12, 4]}>
              <span>序列号 {product.serialNumber}</span>
              <span>型号 {product.model}</span>
              <span>产品线 {product.productLine}</span>
              <span>保修至 {formatDate(product.warrantyEndsAt)}</span>
              <WarrantyTag state={warrantyState(product.warrantyEndsAt)} />
            </Space>
          ) : (
            <Typography.Text type="secondary">未关联设备{feedback.productLine ? `（产品线：${feedback.productLine}）` : ''}</Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="要求完成时间">
          <Typography.Text type={feedback.overdue ? 'danger' : undefined}>{formatDateTime(feedback.requestedBy)}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="提交时间">{formatDateTime(feedback.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="问题描述" span={2}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{feedback.description}</Typography.Paragraph>
        </Descriptions.Item>
        <Descriptions.Item label="照片" span={2}>
          <PhotoGrid photos={feedback.photos} />
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function AssignmentCard({ feedback }: { feedback: FeedbackDetail }) {
  const { engineer, workOrder } = feedback;
  return (
    <Card title="派工信息" size="small">
      <Descriptions column={1} size="small">
        <Descriptions.Item label="服务工程师">
          {engineer ? (
            <Space size={8} wrap>
              <span id="feedback-engineer">{engineer.name}</span>
              <Phone value={engineer.phone} />
            </Space>
          ) : (
            <Typography.Text type="secondary">未派工</Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="协作人">
          {feedback.collaborators.length > 0 ? (
            <Space size={[4, 4]} wrap>
              {feedback.collaborators.map((person) => (
                <Tag key={person.id}>
                  {person.name}
                  {person.phone ? ` ${person.phone}` : ''}
                </Tag>
              ))}
            </Space>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        <Descriptions.Item label="工单状态">
          {workOrder ? <WorkOrderStatusTag status={workOrder.status} /> : '—'}
          {workOrder?.noticeMissed ? <NoticeMissedTag id="feedback-notice-missed" /> : null}
        </Descriptions.Item>
        {workOrder?.rejectReason ? (
          <Descriptions.Item label="拒单原因">
            <Typography.Text type="danger">{workOrder.rejectReason}</Typography.Text>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </Card>
  );
}

function RatingCard({ rating }: { rating: NonNullable<FeedbackDetail['rating']> }) {
  const scores = [
    ['及时性', rating.timeliness],
    ['服务态度', rating.attitude],
    ['服务质量', rating.quality],
  ] as const;
  return (
    <Card title="客户评价" size="small" id="feedback-rating">
      <Flex vertical gap={4}>
        {scores.map(([label, score]) => (
          <Flex key={label} align="center" gap={12}>
            <Typography.Text type="secondary" style={{ width: 64 }}>
              {label}
            </Typography.Text>
            <Rate disabled value={score} style={{ fontSize: 16 }} />
            <Typography.Text type={score <= 2 ? 'danger' : undefined}>{score} 分</Typography.Text>
          </Flex>
        ))}
        <Typography.Paragraph style={{ margin: '8px 0 0', whiteSpace: 'pre-wrap' }}>{rating.comment || '（未填写评价内容）'}</Typography.Paragraph>
        <Typography.Text type="secondary">评价时间 {formatDateTime(rating.ratedAt)}</Typography.Text>
      </Flex>
    </Card>
  );
}

/** One service request: who, what, which device, the work order, visits, timeline and rating. */
export default function FeedbackDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const detail = useRemote((signal) => getFeedback(id, signal), [id]);
  const feedback = detail.data?.id === id ? detail.data : undefined;
  useDocumentTitle(feedback ? `服务请求 ${feedback.number}` : '服务请求');

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/service/requests'))}>
      返回
    </Button>
  );

  if (!feedback) {
    if (detail.error) {
      return (
        <Card>
          <Result
            status={detail.error.status === 404 ? '404' : detail.error.status === 403 ? '403' : 'error'}
            title={detail.error.status === 404 ? '服务请求不存在' : '加载失败'}
            subTitle={detail.error.status === 404 ? '该服务请求可能不在您负责的部门，或编号有误' : detail.error.message}
            extra={
              <Space>
                <Link to="/service/requests">返回服务请求列表</Link>
                <Button onClick={detail.reload}>重试</Button>
              </Space>
            }
          />
        </Card>
      );
    }
    return (
      <Flex justify="center" style={{ padding: 80 }}>
        <Spin size="large" />
      </Flex>
    );
  }

  return (
    <Spin spinning={detail.loading}>
      <div id="feedback-detail" data-feedback-id={feedback.id}>
        <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
          <Space size={12} wrap>
            {back}
            <Typography.Title level={4} style={{ margin: 0 }}>
              服务请求 {feedback.number}
            </Typography.Title>
            <FeedbackTypeTag type={feedback.type} />
            <FeedbackStatusTag id="feedback-status" status={feedback.status} />
            {feedback.overdue ? <OverdueTag /> : null}
          </Space>
          <Space wrap>
            <FeedbackActions feedback={feedback} onChanged={detail.setData} onStale={detail.reload} />
            <Button icon={<ReloadOutlined />} aria-label="刷新" onClick={detail.reload} />
          </Space>
        </Flex>
        <ErrorAlert error={detail.error} onRetry={detail.reload} title="刷新失败" />
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={15}>
            <Flex vertical gap={16}>
              <RequestCard feedback={feedback} />
              <Card title={`处理记录（${feedback.visits.length}）`} size="small">
                {feedback.visits.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="工程师尚未记录上门处理" />
                ) : (
                  <Flex vertical gap={12}>
                    {feedback.visits.map((visit, index) => (
                      <VisitCard key={visit.id} visit={visit} index={index} />
                    ))}
                  </Flex>
                )}
              </Card>
            </Flex>
          </Col>
          <Col xs={24} xl={9}>
            <Flex vertical gap={16}>
              <AssignmentCard feedback={feedback} />
              <Card title="进度" size="small">
                <Timeline
                  className="feedback-timeline"
                  style={{ marginTop: 8, marginBottom: -24 }}
                  items={feedback.timeline.map((entry) => ({
                    color: timelineColors[entry.kind],
                    children: (
                      <div>
                        <div>{entry.text}</div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {formatDateTime(entry.at)}
                        </Typography.Text>
                      </div>
                    ),
                  }))}
                />
              </Card>
              {feedback.rating ? (
                <RatingCard rating={feedback.rating} />
              ) : (
                <Card title="客户评价" size="small">
                  <Typography.Text type="secondary">{feedback.status === 'completed' ? '客户尚未评价' : '服务完成后客户可评价'}</Typography.Text>
                </Card>
              )}
            </Flex>
          </Col>
        </Row>
      </div>
    </Spin>
  );
}
