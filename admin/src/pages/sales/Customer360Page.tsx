// 客户360视图 (/sales/customers/:id): one customer with everything around it — owner or pool, origin,
// contacts and their WeChat identities, devices, service requests and ratings, leads and
// opportunities, campaigns received and spread, follow-ups, ownership history.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App as AntApp, Alert, Button, Card, Descriptions, Flex, Result, Space, Spin, Statistic, Tabs, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Contact, Customer360, ProductArchive } from '@qiao/shared';
import { getCustomer360 } from '../../api/follow-records';
import { useSession } from '../../auth/useSession';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate, formatDateTime, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useEditing } from '../../lib/useEditing';
import { useRemote } from '../../lib/useRemote';
import { ProductFormModal } from '../service/ProductFormModal';
import { ContactFormModal } from './ContactFormModal';
import {
  AddButton,
  OwnerLine,
  SectionTable,
  label,
  SharePathText,
  contactColumns,
  deviceColumns,
  leadColumns,
  opportunityColumns,
  ownershipColumns,
  receivedColumns,
  requestColumns,
  sharedColumns,
} from './Customer360Sections';
import { CustomerFormModal } from './CustomerFormModal';
import { CustomerOwnershipActions } from './CustomerOwnershipActions';
import { FollowRecords } from './FollowRecords';
import { OpportunityCreateModal } from './OpportunityCreateModal';

const sourceLabels: Record<string, string> = { manual: '手工录入', campaign: '营销方案', 'official-account': '公众号', import: '导入', lead: '线索转化' };

export default function Customer360Page() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const session = useSession();
  const role = session?.user.role;
  const remote = useRemote((signal) => getCustomer360(id, signal), [id]);
  const customer = remote.data?.id === id ? remote.data : undefined;
  useDocumentTitle(customer ? `客户 ${customer.name}` : '客户');
  const editing = useEditing<Customer360>();
  const contactForm = useEditing<Contact>();
  const productForm = useEditing<ProductArchive>();
  const [tab, setTab] = useState('contacts');
  const [creatingOpportunity, setCreatingOpportunity] = useState(false);

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/sales/customers'))}>
      返回
    </Button>
  );

  if (!customer) {
    if (remote.error) {
      const missing = remote.error.status === 404;
      return (
        <Card>
          <Result
            status={missing ? '404' : remote.error.status === 403 ? '403' : 'error'}
            title={missing ? '客户不存在' : '加载失败'}
            subTitle={missing ? '该客户可能不由您负责，或已被删除' : remote.error.message}
            extra={
              <Space>
                <Link to="/sales/customers">返回客户列表</Link>
                <Button onClick={remote.reload}>重试</Button>
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

  const editable = !customer.readOnly;
  const contactOf = (row: Customer360['contacts']['items'][number]): Contact => ({
    id: row.id,
    customerId: customer.id,
    customerName: customer.name,
    name: row.name,
    phone: row.phone,
    title: row.title,
    tags: row.tags,
    wechatBound: row.verified,
  });
  const productOf = (row: Customer360['devices']['items'][number]): ProductArchive => ({ ...row, customerId: customer.id, customerName: customer.name });
  const { requests } = customer;

  const tabs = [
    {
      key: 'contacts',
      label: label('联系人', customer.contacts.total),
      children: (
        <>
          {editable ? (
            <AddButton id="contact-create" onClick={contactForm.create}>
              新增联系人
            </AddButton>
          ) : null}
          <SectionTable
            id="contact-table"
            rowKey={(row) => row.id}
            rows={customer.contacts.items}
            total={customer.contacts.total}
            empty="暂无联系人，添加后客户可在微信中用手机号完成身份验证"
            columns={contactColumns(
              editable
                ? (row) => (
                    <Button type="link" size="small" className="contact-edit" onClick={() => contactForm.edit(contactOf(row))}>
                      编辑
                    </Button>
                  )
                : null,
            )}
          />
        </>
      ),
    },
    {
      key: 'devices',
      label: label('设备', customer.devices.total),
      children: (
        <>
          {editable ? (
            <AddButton id="customer-product-create" onClick={productForm.create}>
              新增产品档案
            </AddButton>
          ) : null}
          <SectionTable
            id="customer-product-table"
            rowKey={(row) => row.id}
            rows={customer.devices.items}
            total={customer.devices.total}
            empty="暂无产品档案"
            columns={deviceColumns(
              editable
                ? (row) => (
                    <Button type="link" size="small" onClick={() => productForm.edit(productOf(row))}>
                      编辑
                    </Button>
                  )
                : null,
            )}
          />
        </>
      ),
    },
    {
      key: 'requests',
      label: label('服务请求', requests.total),
      children: (
        <>
          <Space size={32} style={{ marginBottom: 12 }}>
            <Statistic title="服务请求" value={requests.total} />
            <Statistic
              title="近期评价均分"
              value={requests.ratingAverage ?? '—'}
              suffix={requests.ratingAverage === null ? undefined : `分（${requests.ratedCount} 次评价）`}
            />
          </Space>
          <SectionTable
            id="customer-request-table"
            rowKey={(row) => row.id}
            rows={requests.items}
            total={requests.total}
            empty="暂无服务请求"
            columns={requestColumns(role !== 'sales')}
          />
        </>
      ),
    },
    ...(customer.leads && customer.opportunities
      ? [
          {
            key: 'sales',
            label: label('线索与商机', customer.leads.total + customer.opportunities.total),
            children: (
              <Flex vertical gap={16}>
                <div>
                  <Typography.Title level={5}>线索</Typography.Title>
                  <SectionTable id="customer-lead-table" rowKey={(row) => row.id} rows={customer.leads.items} total={customer.leads.total} empty="暂无线索" columns={leadColumns(null)} />
                </div>
                <div>
                  <Flex justify="space-between" align="center">
                    <Typography.Title level={5}>商机</Typography.Title>
                    {customer.readOnly ? null : (
                      <Button size="small" id="customer-opportunity-create" icon={<PlusOutlined />} onClick={() => setCreatingOpportunity(true)}>
                        新建商机
                      </Button>
                    )}
                  </Flex>
                  <SectionTable
                    id="customer-opportunity-table"
                    rowKey={(row) => row.id}
                    rows={customer.opportunities.items}
                    total={customer.opportunities.total}
                    empty="暂无商机"
                    columns={opportunityColumns}
                  />
                </div>
              </Flex>
            ),
          },
        ]
      : []),
    ...(customer.campaignsReceived && customer.campaignsShared
      ? [
          {
            key: 'campaigns',
            label: label('营销', customer.campaignsReceived.total),
            children: (
              <Flex vertical gap={16}>
                <div>
                  <Typography.Title level={5}>收到的营销方案</Typography.Title>
                  <SectionTable
                    id="customer-campaign-received"
                    rowKey={(row) => `${row.campaignId}:${row.contactId}`}
                    rows={customer.campaignsReceived.items}
                    total={customer.campaignsReceived.total}
                    empty="联系人尚未收到营销方案"
                    columns={receivedColumns}
                  />
                </div>
                <div>
                  <Typography.Title level={5}>转发传播</Typography.Title>
                  <SectionTable
                    id="customer-campaign-shared"
                    rowKey={(row) => `${row.campaignId}:${row.contactId}`}
                    rows={customer.campaignsShared.items}
                    total={customer.campaignsShared.total}
                    empty="联系人尚未转发营销方案"
                    columns={sharedColumns}
                  />
                </div>
              </Flex>
            ),
          },
        ]
      : []),
    ...(customer.followRecords
      ? [
          {
            key: 'follow',
            label: label('跟进记录', customer.followRecords.total),
            children: (
              <FollowRecords
                target="customer"
                id={customer.id}
                readOnly={customer.readOnly}
                readOnlyReason={customer.readOnly ? '公海客户仅可查看，申领后即可记录跟进' : undefined}
                onAdded={remote.reload}
              />
            ),
          },
        ]
      : []),
    ...(customer.ownership
      ? [
          {
            key: 'ownership',
            label: label('归属记录', customer.ownership.total),
            children: (
              <SectionTable
                id="customer-ownership-table"
                rowKey={(row) => row.id}
                rows={customer.ownership.items}
                total={customer.ownership.total}
                empty="暂无归属变更"
                columns={ownershipColumns}
              />
            ),
          },
        ]
      : []),
  ];

  return (
    <Spin spinning={remote.loading}>
      <div id="customer-360" data-customer-id={customer.id}>
        <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
          <Space size={12} wrap>
            {back}
            <Typography.Title level={4} style={{ margin: 0 }} id="customer-360-name">
              {customer.name}
            </Typography.Title>
            <Typography.Text type="secondary">{customer.code}</Typography.Text>
            <OwnerLine customer={customer} />
          </Space>
          <Space wrap>
            <span id="customer-360-ownership-actions">
              <CustomerOwnershipActions
                customer={customer}
                onChanged={(changed) => {
                  // A salesperson who gave the customer away (转交 / 放回公海) no longer sees it here.
                  const stillMine = changed.ownerId === session?.user.id || changed.collaboratorIds.includes(session?.user.id ?? '');
                  if (session?.user.role === 'sales' && !stillMine && !changed.inPool) navigate('/sales/customers');
                  else remote.reload();
                }}
              />
            </span>
            {editable ? (
              <Button id="customer-360-edit" icon={<EditOutlined />} onClick={() => editing.edit(customer)}>
                编辑
              </Button>
            ) : null}
            <Button icon={<ReloadOutlined />} aria-label="刷新" onClick={remote.reload} />
          </Space>
        </Flex>
        <ErrorAlert error={remote.error} onRetry={remote.reload} title="刷新失败" />
        {customer.readOnly ? (
          <Alert id="customer-360-readonly" type="info" showIcon style={{ marginBottom: 16 }} message="这是公海客户：联系方式已隐藏，申领后可查看完整信息并记录跟进。" />
        ) : null}
        <Card size="small" style={{ marginBottom: 16 }}>
          <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" id="customer-360-info">
            <Descriptions.Item label="客户等级">{orDash(customer.grade)}</Descriptions.Item>
            <Descriptions.Item label="所在地区">{customer.region}</Descriptions.Item>
            <Descriptions.Item label="行业">{orDash(customer.industry)}</Descriptions.Item>
            <Descriptions.Item label="负责部门">{orDash(customer.departmentName)}</Descriptions.Item>
            <Descriptions.Item label="电话">{orDash(customer.phone)}</Descriptions.Item>
            <Descriptions.Item label="创建时间">{formatDateTime(customer.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="地址" span={{ xs: 1, md: 2, xl: 3 }}>
              {orDash(customer.address)}
            </Descriptions.Item>
            <Descriptions.Item label="负责时间">{formatDate(customer.ownerSince)}</Descriptions.Item>
            <Descriptions.Item label="最近跟进">{formatDateTime(customer.lastFollowUpAt)}</Descriptions.Item>
            <Descriptions.Item label="最近成交">{formatDate(customer.lastDealAt)}</Descriptions.Item>
            <Descriptions.Item label="来源">{sourceLabels[customer.origin.source] ?? customer.origin.source}</Descriptions.Item>
            {customer.origin.campaignId ? (
              <Descriptions.Item label="营销方案" span={{ xs: 1, md: 1, xl: 2 }}>
                <Space direction="vertical" size={0} id="customer-360-origin">
                  <span>{customer.origin.campaignName ?? '—'}</span>
                  <SharePathText path={customer.origin.sharePath} />
                </Space>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        </Card>
        <Card size="small">
          <Tabs id="customer-360-tabs" activeKey={tabs.some((item) => item.key === tab) ? tab : 'contacts'} onChange={setTab} items={tabs} />
        </Card>
        <CustomerFormModal
          open={editing.open}
          customer={editing.record}
          onClose={editing.close}
          onSaved={(saved) => {
            editing.close();
            message.success(`已保存客户 ${saved.name}`);
            remote.reload();
          }}
        />
        <ContactFormModal
          open={contactForm.open}
          customerId={customer.id}
          contact={contactForm.record}
          onClose={contactForm.close}
          onSaved={(saved) => {
            contactForm.close();
            message.success(`已保存联系人 ${saved.name}`);
            remote.reload();
          }}
        />
        <OpportunityCreateModal
          open={creatingOpportunity}
          customer={{ id: customer.id, name: customer.name }}
          namesOwner={role === 'admin' || role === 'manager'}
          onClose={() => setCreatingOpportunity(false)}
          onSaved={(saved) => {
            setCreatingOpportunity(false);
            message.success(`已新建商机「${saved.name}」`);
            remote.reload();
          }}
        />
        <ProductFormModal
          open={productForm.open}
          product={productForm.record}
          customer={{ id: customer.id, name: customer.name }}
          onClose={productForm.close}
          onSaved={(saved) => {
            productForm.close();
            message.success(`已保存产品档案 ${saved.serialNumber}`);
            remote.reload();
          }}
        />
      </div>
    </Spin>
  );
}
