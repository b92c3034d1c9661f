import { useState, type ReactNode } from 'react';
import { App as AntApp, Button, Descriptions, Drawer, Flex, Popconfirm, Result, Space, Spin, Tabs, Tag } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { Contact, Customer, ProductArchive, WarrantyState } from '@qiao/shared';
import { deleteContact, getCustomer, listContacts, listProducts } from '../../api/customers';
import { RemoteTable } from '../../components/RemoteTable';
import { WarrantyTag } from '../../components/StatusTags';
import { formatDate, formatDateTime, orDash } from '../../lib/format';
import { useEditing } from '../../lib/useEditing';
import { toApiError, useRemote } from '../../lib/useRemote';
import { ProductFormModal } from '../service/ProductFormModal';
import { ContactFormModal } from './ContactFormModal';
import { CustomerOwnershipActions } from './CustomerOwnershipActions';
import { CustomerOwnershipHistory } from './CustomerOwnershipHistory';
import { useSession } from '../../auth/useSession';

export interface CustomerDrawerProps {
  customerId: string | null;
  onClose: () => void;
  onEdit: (customer: Customer) => void;
  /** Contacts or products changed (the list's counts are stale). */
  onChanged: () => void;
  /** Bumped by the page after the customer itself was edited. */
  version: number;
}

/** The button above a tab's table. */
function AddButton({ id, onClick, children }: { id?: string; onClick: () => void; children: ReactNode }) {
  return (
    <Flex justify="flex-end" style={{ marginBottom: 12 }}>
      <Button id={id} icon={<PlusOutlined />} onClick={onClick}>
        {children}
      </Button>
    </Flex>
  );
}

/** A customer with its contacts (联系人) and product archives (产品档案). */
export function CustomerDrawer({ customerId, onClose, onEdit, onChanged, version }: CustomerDrawerProps) {
  const { message } = AntApp.useApp();
  const id = customerId ?? '';
  const customer = useRemote((signal) => (id ? getCustomer(id, signal) : Promise.resolve(null)), [id, version]);
  const contacts = useRemote((signal) => (id ? listContacts({ customerId: id, pageSize: 100 }, signal) : Promise.resolve(null)), [id]);
  const products = useRemote((signal) => (id ? listProducts({ customerId: id, pageSize: 100 }, signal) : Promise.resolve(null)), [id]);
  const contactForm = useEditing<Contact>();
  const productForm = useEditing<ProductArchive>();

  const current = customer.data && customer.data.id === id ? customer.data : null;
  const me = useSession()?.user;
  // After 转交 / 放回公海 a salesperson may no longer see the customer: close instead of a 404.
  const [ownershipVersion, setOwnershipVersion] = useState(0);
  const ownershipChanged = (changed: Customer) => {
    onChanged();
    setOwnershipVersion((value) => value + 1);
    const stillMine = me?.role !== 'sales' || changed.inPool || changed.ownerId === me.id || changed.collaboratorIds.includes(me.id);
    if (stillMine) customer.reload();
    else onClose();
  };

  const remove = async (contact: Contact) => {
    try {
      await deleteContact(contact.id);
      message.success(`已删除联系人 ${contact.name}`);
      contacts.reload();
      onChanged();
    } catch (error) {
      message.error(toApiError(error).message);
    }
  };

  const contactTable = (
    <>
      <AddButton id="contact-create" onClick={contactForm.create}>新增联系人</AddButton>
      <RemoteTable<Contact>
        id="contact-table"
        remote={contacts}
        rows={contacts.data?.items ?? []}
        emptyText="暂无联系人，添加后客户可在微信中用手机号完成身份验证"
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '手机号', dataIndex: 'phone', width: 120 },
          { title: '职务', dataIndex: 'title', render: (value: string) => orDash(value) },
          { title: '标签', dataIndex: 'tags', render: (tags: string[]) => (tags.length ? tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—') },
          {
            title: '微信',
            dataIndex: 'wechatBound',
            width: 90,
            render: (bound: boolean) => (bound ? <Tag color="green">已绑定</Tag> : <Tag>未绑定</Tag>),
          },
          {
            title: '操作',
            width: 120,
            render: (_, row) => (
              <Space size={0}>
                <Button type="link" size="small" className="contact-edit" onClick={() => contactForm.edit(row)}>
                  编辑
                </Button>
                <Popconfirm
                  title={`删除联系人 ${row.name}？`}
                  description={row.wechatBound ? '该联系人已绑定微信，删除后需重新验证身份。' : undefined}
                  okText="删除"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() => remove(row)}
                >
                  <Button type="link" size="small" danger className="contact-delete">
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </>
  );

  const productTable = (
    <>
      <AddButton onClick={productForm.create}>新增产品档案</AddButton>
      <RemoteTable<ProductArchive>
        id="customer-product-table"
        remote={products}
        rows={products.data?.items ?? []}
        emptyText="暂无产品档案"
        columns={[
          { title: '序列号', dataIndex: 'serialNumber' },
          { title: '型号', dataIndex: 'model' },
          { title: '产品线', dataIndex: 'productLine' },
          { title: '保修到期', dataIndex: 'warrantyEndsAt', render: (value: string) => formatDate(value) },
          { title: '状态', dataIndex: 'warrantyState', render: (value: WarrantyState) => <WarrantyTag state={value} /> },
          {
            title: '操作',
            width: 70,
            render: (_, row) => (
              <Button type="link" size="small" onClick={() => productForm.edit(row)}>
                编辑
              </Button>
            ),
          },
        ]}
      />
    </>
  );

  return (
    <Drawer
      open={customerId !== null}
      onClose={onClose}
      width={760}
      title={current ? current.name : '客户详情'}
      extra={
        current ? (
          <Button icon={<EditOutlined />} onClick={() => onEdit(current)}>
            编辑
          </Button>
        ) : null
      }
      rootClassName="customer-drawer"
    >
      {!current ? (
        customer.error ? (
          <Result status="error" title="加载失败" subTitle={customer.error.message} extra={<Button onClick={customer.reload}>重试</Button>} />
        ) : (
          <Flex justify="center" style={{ padding: 48 }}>
            <Spin />
          </Flex>
        )
      ) : (
        <div id="customer-detail">
          <div style={{ marginBottom: 12 }}>
            <CustomerOwnershipActions customer={current} onChanged={ownershipChanged} />
          </div>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label="客户编码">{current.code}</Descriptions.Item>
            <Descriptions.Item label="客户等级">{orDash(current.grade)}</Descriptions.Item>
            <Descriptions.Item label="所在地区">{current.region}</Descriptions.Item>
            <Descriptions.Item label="行业">{orDash(current.industry)}</Descriptions.Item>
            <Descriptions.Item label="负责部门">{orDash(current.departmentName)}</Descriptions.Item>
            <Descriptions.Item label="电话">{orDash(current.phone)}</Descriptions.Item>
            <Descriptions.Item label="地址" span={2}>
              {orDash(current.address)}
            </Descriptions.Item>
            <Descriptions.Item label="创建时间" span={2}>
              {formatDateTime(current.createdAt)}
            </Descriptions.Item>
          </Descriptions>
          <Tabs
            style={{ marginTop: 16 }}
            items={[
              { key: 'contacts', label: `联系人（${contacts.data?.total ?? current.contactCount}）`, children: contactTable },
              { key: 'products', label: `产品档案（${products.data?.total ?? current.productCount}）`, children: productTable },
              { key: 'ownership', label: '归属记录', children: <CustomerOwnershipHistory customerId={current.id} version={ownershipVersion} /> },
            ]}
          />
        </div>
      )}
      {current ? (
        <>
          <ContactFormModal
            open={contactForm.open}
            customerId={current.id}
            contact={contactForm.record}
            onClose={contactForm.close}
            onSaved={(saved) => {
              contactForm.close();
              message.success(`已保存联系人 ${saved.name}`);
              contacts.reload();
              onChanged();
            }}
          />
          <ProductFormModal
            open={productForm.open}
            product={productForm.record}
            customer={{ id: current.id, name: current.name }}
            onClose={productForm.close}
            onSaved={(saved) => {
              productForm.close();
              message.success(`已保存产品档案 ${saved.serialNumber}`);
              products.reload();
              onChanged();
            }}
          />
        </>
      ) : null}
    </Drawer>
  );
}
